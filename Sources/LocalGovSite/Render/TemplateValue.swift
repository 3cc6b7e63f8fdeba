/// A template context as plain data: what `{{name}}`, `{{#name}}` and `{{^name}}` can find. The
/// page builders make `[String: Any]` trees; `CompiledTemplate` renders this form instead, so a
/// lookup is a dictionary read and a `switch`, where swift-mustache makes several dynamic casts
/// per name and per context frame (15 % of a cold build's CPU at 10,000 posts).
enum TemplateValue: Sendable {
    case text(String)
    case flag(Bool)
    case number(Int)
    case list([TemplateValue])
    case object([String: TemplateValue])
    /// A table of words (the theme's strings), kept as it is rather than copied per page.
    case words([String: String])

    /// The value for a context the builders made, or nil if it holds something else (a date, a
    /// closure, a nil boxed in `Any`): such a page is rendered by swift-mustache, whose rules for
    /// those are its own.
    init?(_ value: Any) {
        // The builders' own types are matched exactly first: a conditional cast to
        // `[String: String]` or `[String]` would copy every dictionary and list to try it.
        let type = type(of: value)
        if type == TemplateValue.self {
            self = value as! TemplateValue
        } else if type == String.self {
            self = .text(value as! String)
        } else if type == [String: Any].self {
            guard let object = Self.object(value as! [String: Any]) else { return nil }
            self = object
        } else if type == [[String: Any]].self {
            var items: [TemplateValue] = []
            for object in value as! [[String: Any]] {
                guard let item = Self.object(object) else { return nil }
                items.append(item)
            }
            self = .list(items)
        } else if type == [Any].self {
            guard let list = Self.list(value as! [Any]) else { return nil }
            self = list
        } else if type == Bool.self {
            self = .flag(value as! Bool)
        } else if type == Int.self {
            self = .number(value as! Int)
        } else if let words = value as? [String: String] {
            self = .words(words)
        } else if let texts = value as? [String] {
            self = .list(texts.map(TemplateValue.text))
        } else if let list = value as? [Any] {
            guard let converted = Self.list(list) else { return nil }
            self = converted
        } else if let object = value as? [String: Any] {
            guard let converted = Self.object(object) else { return nil }
            self = converted
        } else {
            return nil
        }
    }

    private static func object(_ object: [String: Any]) -> TemplateValue? {
        var fields: [String: TemplateValue] = [:]
        fields.reserveCapacity(object.count)
        for (key, field) in object {
            guard let converted = TemplateValue(field) else { return nil }
            fields[key] = converted
        }
        return .object(fields)
    }

    private static func list(_ list: [Any]) -> TemplateValue? {
        var items: [TemplateValue] = []
        items.reserveCapacity(list.count)
        for item in list {
            guard let converted = TemplateValue(item) else { return nil }
            items.append(converted)
        }
        return .list(items)
    }

    /// The value as the builders would have made it, for swift-mustache's renderer.
    var plain: Any {
        switch self {
        case .text(let text): text
        case .flag(let flag): flag
        case .number(let number): number
        case .list(let items): items.map(\.plain)
        case .object(let fields): fields.mapValues(\.plain)
        case .words(let words): words
        }
    }

    /// `context` with every `TemplateValue` in it (a piece made once and shown on many pages)
    /// made plain again, for swift-mustache's renderer and for fingerprints. What holds none is
    /// returned as it is: swift-mustache prints a list or a dictionary with Swift's description,
    /// which a copy could change.
    static func plain(_ context: [String: Any]) -> [String: Any] {
        madePlain(context) as? [String: Any] ?? context
    }

    /// Nil when `value` holds no `TemplateValue`.
    private static func madePlain(_ value: Any) -> Any? {
        switch value {
        case let made as TemplateValue:
            return made.plain
        case var object as [String: Any]:
            var changed = false
            for (key, field) in object {
                guard let plain = madePlain(field) else { continue }
                object[key] = plain
                changed = true
            }
            return changed ? object : nil
        case var list as [Any]:
            var changed = false
            for (index, item) in list.enumerated() {
                guard let plain = madePlain(item) else { continue }
                list[index] = plain
                changed = true
            }
            return changed ? list : nil
        default:
            return nil
        }
    }

    /// What `name` finds in this value when it is a context frame: only objects have names; a
    /// text, a number or a list has none, as swift-mustache finds none in them.
    func child(_ name: String) -> TemplateValue? {
        switch self {
        case .object(let fields): fields[name]
        case .words(let words): words[name].map(TemplateValue.text)
        default: nil
        }
    }
}
