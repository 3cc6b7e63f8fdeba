/// A value read from YAML or TOML, with where it was written, so that every later check
/// (a wrong type, an impossible date) can point at the exact line and column.
public struct DataNode: Sendable, Hashable, Codable {
    public var value: DataValue
    public var location: SourceLocation

    public init(_ value: DataValue, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

public struct DataField: Sendable, Hashable, Codable {
    public var key: String
    public var keyLocation: SourceLocation
    public var node: DataNode
}

public indirect enum DataValue: Sendable, Hashable, Codable {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    /// A date or date-time as written (`2017-02-15`, `2017-02-15T09:30:00+01:00`);
    /// it is interpreted later, in the site's time zone.
    case datetime(String)
    case list([DataNode])
    case table([DataField])
    case null

    /// How a contributor would name this kind of value in an error message.
    public var kindName: String {
        switch self {
        case .string: "text"
        case .integer: "a whole number"
        case .float: "a number"
        case .bool: "true or false"
        case .datetime: "a date"
        case .list: "a list"
        case .table: "a table"
        case .null: "empty"
        }
    }

    /// Scalars as text; YAML contributors write `title: 1984` and mean the text "1984".
    public var scalarText: String? {
        switch self {
        case .string(let s), .datetime(let s): s
        case .integer(let i): String(i)
        case .float(let d): String(d)
        case .bool(let b): b ? "true" : "false"
        case .list, .table, .null: nil
        }
    }

    public func field(_ key: String) -> DataField? {
        guard case .table(let fields) = self else { return nil }
        return fields.first { $0.key == key }
    }

    /// Plain Swift values for the templates: unknown front-matter fields stay reachable there.
    public var templateValue: Any {
        switch self {
        case .string(let s), .datetime(let s): s
        case .integer(let i): i
        case .float(let d): d
        case .bool(let b): b
        case .list(let items): items.map(\.value.templateValue)
        case .table(let fields):
            Dictionary(fields.map { ($0.key, $0.node.value.templateValue) }, uniquingKeysWith: { a, _ in a })
        case .null: Optional<String>.none as Any
        }
    }
}
