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

    /// The last component: `NSString.lastPathComponent` for a path that does not end in `/`.
    static func name(_ path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    /// Without the last component's extension (`a/b.md` → `a/b`): `NSString.deletingPathExtension`
    /// for a path that does not end in `/`. A name whose only dot comes first (`.md`) has none.
    static func withoutExtension(_ path: String) -> String {
        let utf8 = path.utf8
        let start = utf8.lastIndex(of: UInt8(ascii: "/")).map { utf8.index(after: $0) } ?? utf8.startIndex
        guard let dot = utf8[start...].lastIndex(of: UInt8(ascii: ".")), dot != start else { return path }
        return String(path[..<dot])
    }

    /// The last component's extension, without its dot (`a/b.md` → `md`): `NSString.pathExtension`
    /// for a path that does not end in `/`. A name whose only dot comes first (`.md`) has none.
    static func pathExtension(_ path: String) -> Substring {
        let utf8 = path.utf8
        let start = utf8.lastIndex(of: UInt8(ascii: "/")).map { utf8.index(after: $0) } ?? utf8.startIndex
        guard let dot = utf8[start...].lastIndex(of: UInt8(ascii: ".")), dot != start else { return "" }
        return path[utf8.index(after: dot)...]
    }

    /// How many components `NSString.pathComponents` finds in a path without `//` that does not end in `/`.
    static func componentCount(_ path: String) -> Int {
        path.isEmpty ? 0 : path.utf8.reduce(1) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 }
    }
}
