import Mustache

/// A template swift-mustache parsed, turned into nodes that render `TemplateValue`s.
///
/// swift-mustache stays the parser: its rules for stand-alone tags, indentation, delimiters and
/// inheritance decide what a template means, and its errors are what authors see. Its renderer
/// looks every name up through `Any` with several dynamic casts per context frame, which was 37 %
/// of a cold build's CPU at 10,000 posts. The library keeps its parse tree internal, so it is
/// read here through `Mirror`; any shape this does not know (a newer library, a transform such as
/// `{{uppercased(name)}}`, a dynamic partial) leaves the template to the library's renderer, so a
/// template renders the same either way. `CompiledTemplateTests` compares the two renderers on
/// random templates and contexts.
struct CompiledTemplate: Sendable {
    fileprivate let nodes: [Node]

    /// Not `indirect`: a node holds its children through arrays, so a box per node would only add
    /// a retain and a release to every node rendered.
    fileprivate enum Node: Sendable {
        case text(String)
        case variable(Path, escaped: Bool)
        case section(Path, CompiledTemplate, inverted: Bool)
        case partial(String, indentation: String?, overrides: [String: CompiledTemplate]?)
        /// `{{$name}}…{{/name}}` in a layout: the page's block of that name, else this default.
        case block(String, fallback: CompiledTemplate, indentation: String?)
        case escaping(Escaper)
    }

    /// A name as swift-mustache resolves it: `.` is the current value; `a.b` finds `a` in the
    /// nearest frame that has it, then `b` in that; `.a` looks in the current value only.
    fileprivate struct Path: Sendable {
        var names: [String]
        var anchored: Bool

        init(_ name: String) {
            anchored = name.first == "."
            names = name.split(separator: ".").map(String.init)
        }
    }

    fileprivate enum Escaper: Sendable {
        case html
        case other(any MustacheContentType)

        func escape(_ text: String) -> String {
            switch self {
            case .html: HTML.escape(text)
            case .other(let type): type.escapeText(text)
            }
        }
    }

    /// Nil when the template uses something only the library's renderer does.
    init?(_ template: MustacheTemplate) {
        guard let tokens = Parsed.field("tokens", of: template) as? [Any] else { return nil }
        var nodes: [Node] = []
        nodes.reserveCapacity(tokens.count)
        for token in tokens {
            guard let node = Parsed.node(token) else { return nil }
            nodes.append(node)
        }
        self.nodes = nodes
    }
}

/// Reading swift-mustache's internal tokens (`MustacheTemplate.Token`) by their case names and
/// payload labels.
private enum Parsed {
    static func field(_ label: String, of value: Any) -> Any? {
        Mirror(reflecting: value).children.first { $0.label == label }?.value
    }

    /// A payload's members in order: a tuple's elements, or the value itself when it is alone.
    static func members(_ payload: Any) -> [Any] {
        let mirror = Mirror(reflecting: payload)
        return mirror.displayStyle == .tuple ? mirror.children.map(\.value) : [payload]
    }

    /// `.some(x)` → x, `.none` → nil, and nil when the value is not an optional at all.
    static func optional(_ value: Any) -> Any?? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return nil }
        return .some(mirror.children.first?.value)
    }

    static func template(_ value: Any) -> CompiledTemplate? {
        (value as? MustacheTemplate).flatMap(CompiledTemplate.init)
    }

    /// A name without transforms: `{{uppercased(name)}}` is left to the library.
    static func path(_ name: Any, _ transforms: Any) -> CompiledTemplate.Path? {
        guard let name = name as? String, let transforms = transforms as? [String], transforms.isEmpty else { return nil }
        return CompiledTemplate.Path(name)
    }

    static func overrides(_ value: Any) -> [String: CompiledTemplate]?? {
        guard let present = optional(value) else { return nil }
        guard let present else { return .some(nil) }
        guard let templates = present as? [String: MustacheTemplate] else { return nil }
        var compiled: [String: CompiledTemplate] = [:]
        for (name, template) in templates {
            guard let block = CompiledTemplate(template) else { return nil }
            compiled[name] = block
        }
        return .some(compiled)
    }

    static func indentation(_ value: Any) -> String?? {
        guard let present = optional(value) else { return nil }
        guard let present else { return .some(nil) }
        return (present as? String).map { .some($0) }
    }

    static func node(_ token: Any) -> CompiledTemplate.Node? {
        let mirror = Mirror(reflecting: token)
        guard mirror.displayStyle == .enum, let payload = mirror.children.first, let kind = payload.label else { return nil }
        let members = members(payload.value)
        switch (kind, members.count) {
        case ("text", 1):
            return (members[0] as? String).map { .text($0) }
        case ("variable", 2), ("unescapedVariable", 2):
            return path(members[0], members[1]).map { .variable($0, escaped: kind == "variable") }
        case ("section", 3), ("invertedSection", 3):
            guard let path = path(members[0], members[1]), let body = template(members[2]) else { return nil }
            return .section(path, body, inverted: kind == "invertedSection")
        case ("partial", 3):
            guard let name = members[0] as? String, let indentation = indentation(members[1]),
                let overrides = overrides(members[2])
            else { return nil }
            return .partial(name, indentation: indentation, overrides: overrides)
        case ("blockExpansion", 3):
            guard let name = members[0] as? String, let fallback = template(members[1]),
                let indentation = indentation(members[2])
            else { return nil }
            return .block(name, fallback: fallback, indentation: indentation)
        case ("contentType", 1):
            guard let type = members[0] as? any MustacheContentType else { return nil }
            return .escaping(type is HTMLEscaping ? .html : .other(type))
        default:
            return nil
        }
    }
}

/// The compiled templates of a theme, with the library as the way to render anything they cannot.
struct TemplateSet: Sendable {
    let library: MustacheLibrary
    /// Empty when any template is beyond the compiler: partials and layouts reach each other, so
    /// the set is rendered one way or the other as a whole.
    private let compiled: [String: CompiledTemplate]

    init(library: MustacheLibrary, names: some Sequence<String>) {
        self.library = library
        var compiled: [String: CompiledTemplate] = [:]
        for name in names {
            guard let template = library.getTemplate(named: name).flatMap(CompiledTemplate.init) else {
                compiled = [:]
                break
            }
            compiled[name] = template
        }
        self.compiled = compiled
    }

    /// Whether every template renders without the library: false for a theme using transforms,
    /// lambdas or dynamic partials.
    var isCompiled: Bool { !compiled.isEmpty }

    /// The page `name` renders for `context`, nil if there is no such template.
    func render(_ context: [String: Any], withTemplate name: String) -> String? {
        renderCompiled(context, withTemplate: name) ?? library.render(TemplateValue.plain(context), withTemplate: name)
    }

    /// Nil where the library must render the page: its context or a value it prints is not plain data.
    func renderCompiled(_ context: [String: Any], withTemplate name: String) -> String? {
        guard let template = compiled[name], let root = TemplateValue(context) else { return nil }
        var renderer = Renderer(templates: compiled, stack: [root])
        var output = ""
        return (try? renderer.render(template, Scope(), into: &output)) != nil ? output : nil
    }
}

/// Where a template is being rendered: swift-mustache's `MustacheContext` without the stack.
private struct Scope {
    var indentation: String?
    var inherited: [String: CompiledTemplate]?
    /// HTML where a template or partial starts, as the library's own type; a theme's templates
    /// each begin with `HTMLEscaping.pragma`, naming ours, which replaces the same five characters.
    var escaper = CompiledTemplate.Escaper.html

    /// A partial's or a block's scope: its indentation adds to this one's.
    func indented(_ more: String?) -> Scope {
        var scope = self
        if let more { scope.indentation = (indentation ?? "") + more }
        return scope
    }
}

/// A value the library would print in its own way (a list, an object with Swift's description).
private struct NeedsLibrary: Error {}

private struct Renderer {
    let templates: [String: CompiledTemplate]
    var stack: [TemplateValue]

    mutating func render(_ template: CompiledTemplate, _ scope: Scope, into output: inout String) throws {
        var scope = scope
        guard let indentation = scope.indentation, !indentation.isEmpty else {
            for node in template.nodes { try render(node, &scope, into: &output) }
            return
        }
        // As the library does: each node's output that starts a line of this template's own
        // output is indented, the template's first line is not.
        var local = ""
        for node in template.nodes {
            var piece = ""
            try render(node, &scope, into: &piece)
            if !piece.isEmpty, local.last == "\n" { local += indentation }
            local += piece
        }
        output += local
    }

    private mutating func render(_ node: CompiledTemplate.Node, _ scope: inout Scope, into output: inout String) throws {
        switch node {
        case .text(let text):
            output += text
        case .variable(let path, let escaped):
            guard let value = lookup(path) else { return }
            let text: String
            switch value {
            case .text(let string): text = string
            case .flag(let flag): text = flag ? "true" : "false"
            case .number(let number): text = String(number)
            case .list, .object, .words: throw NeedsLibrary()
            }
            output += escaped ? scope.escaper.escape(text) : text
        case let .section(path, body, inverted):
            try section(lookup(path), body, inverted: inverted, scope, into: &output)
        case let .partial(name, indentation, overrides):
            guard let template = templates[name] else { return }
            var inner = scope.indented(indentation)
            if let overrides {
                inner.inherited = scope.inherited.map { $0.merging(overrides) { outer, _ in outer } } ?? overrides
            }
            inner.escaper = .html
            try render(template, inner, into: &output)
        case let .block(name, fallback, indentation):
            try render(scope.inherited?[name] ?? fallback, scope.indented(indentation), into: &output)
        case .escaping(let escaper):
            scope.escaper = escaper
        }
    }

    private mutating func section(
        _ value: TemplateValue?, _ body: CompiledTemplate, inverted: Bool, _ scope: Scope, into output: inout String
    ) throws {
        switch (value, inverted) {
        case (nil, false), (.flag(false), false), (.flag(true), true):
            return
        case (nil, true), (.flag(false), true), (.flag(true), false):
            try render(body, scope, into: &output)
        case (.list(let items), false):
            for item in items { try render(body, pushing: item, scope, into: &output) }
        case (.list(let items), true):
            if items.isEmpty { try render(body, pushing: .list([]), scope, into: &output) }
        case (.some(let value), false):
            try render(body, pushing: value, scope, into: &output)
        case (.some, true):
            return
        }
    }

    private mutating func render(
        _ body: CompiledTemplate, pushing value: TemplateValue, _ scope: Scope, into output: inout String
    ) throws {
        stack.append(value)
        defer { stack.removeLast() }
        try render(body, scope, into: &output)
    }

    private func lookup(_ path: CompiledTemplate.Path) -> TemplateValue? {
        if path.anchored || path.names.isEmpty { return stack.last.flatMap { walk(path.names[...], from: $0) } }
        for frame in stack.reversed() {
            if let found = frame.child(path.names[0]) { return walk(path.names.dropFirst(), from: found) }
        }
        return nil
    }

    private func walk(_ names: ArraySlice<String>, from value: TemplateValue) -> TemplateValue? {
        var value = value
        for name in names {
            guard let child = value.child(name) else { return nil }
            value = child
        }
        return value
    }
}
