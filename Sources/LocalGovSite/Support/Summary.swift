/// The short text lists, feeds and link previews show for a page that has no `summary` of its
/// own: the start of its first paragraph.
public enum Summary {
    /// In characters, before the ellipsis.
    public static let length = 200

    /// Cuts at the last word boundary before `limit` characters and marks the cut with an ellipsis.
    public static func of(_ text: String, limit: Int = length) -> String {
        // White space collapsed to single spaces, as far as one character past the limit: a
        // post's whole text is often what is summarised, and only its start is shown.
        var collapsed = ""
        var count = 0
        var spaceFirst = false
        for character in text {
            // Unicode's property lookup for every letter was most of the model stage; an ASCII
            // character is white space exactly when it is a space or one of tab to carriage return.
            if character.asciiValue.map({ $0 == 32 || (9...13).contains($0) }) ?? character.isWhitespace {
                spaceFirst = !collapsed.isEmpty
                continue
            }
            if spaceFirst {
                collapsed.append(" ")
                count += 1
                spaceFirst = false
            }
            collapsed.append(character)
            count += 1
            if count > limit { break }
        }
        guard count > limit else { return collapsed }
        let head = collapsed.prefix(limit)
        let cut = head.lastIndex(of: " ").map { head[..<$0] } ?? head
        var result = String(cut)
        while let last = result.last, ",;:.–—-".contains(last) { result.removeLast() }
        return result + "…"
    }
}
