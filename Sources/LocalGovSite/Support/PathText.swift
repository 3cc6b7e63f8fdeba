/// Paths as text, without bridging to `NSString` for each: the writer and the image stage ask
/// for the folders of some 20,000 paths a build, and `deletingLastPathComponent` showed there.
enum PathText {
    /// What `NSString.deletingLastPathComponent` gives: the path without its last component and
    /// without the slashes that end it, `/` for a component at the root, empty for a bare name.
    static func parent(_ path: String) -> String {
        let bytes = Array(path.utf8)
        let slash = UInt8(ascii: "/")
        var end = bytes.count
        while end > 1, bytes[end - 1] == slash { end -= 1 }
        guard let last = bytes[..<end].lastIndex(of: slash) else { return "" }
        var cut = last
        while cut > 0, bytes[cut - 1] == slash { cut -= 1 }
        return cut == 0 ? (bytes.first == slash ? "/" : "") : String(decoding: bytes[..<cut], as: UTF8.self)
    }
}
