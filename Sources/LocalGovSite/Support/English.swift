/// Small pieces of English the generator writes itself.
public enum English {
    /// `1 post`, `3 posts`.
    public static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }
}
