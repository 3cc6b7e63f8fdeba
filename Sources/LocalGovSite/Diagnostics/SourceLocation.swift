/// A position in a source file, counted the way editors count: lines and columns from 1,
/// lines over the whole file (front matter included), columns in Unicode scalars.
public struct SourceLocation: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// Path relative to the site root, with `/` separators, as the user would type it.
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int = 1, column: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }

    /// One string, `line:column:file`: a parse in the build cache holds a location for every
    /// link and heading, and one string reads back several times faster than three keyed values.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode("\(line):\(column):\(file)")
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let line = Int(parts[0]), let column = Int(parts[1]) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not line:column:file")
        }
        self.init(file: String(parts[2]), line: line, column: column)
    }

    /// The same position seen from a file in which this text starts at `line`.
    public func shifted(byLines lines: Int) -> SourceLocation {
        SourceLocation(file: file, line: line + lines, column: column)
    }
}
