import Mustache

/// How `{{name}}` is escaped in every template: by `HTML.escape`, the same five replacements as
/// swift-mustache's own HTML content type (`& < > " '`), made on UTF-8 bytes, with no copy when a
/// value has none of them. The library's escaper looks each Character up in a dictionary, which
/// was an eighth of a 10,000-post build.
struct HTMLEscaping: MustacheContentType {
    static let name = "LOCALGOV_HTML"

    /// A line put before each template's text; the library starts every template and partial in
    /// its own HTML type, so each one names ours. Standing alone on its line, it writes nothing.
    static let pragma: String = {
        MustacheContentTypes.register(HTMLEscaping(), named: name)
        return "{{% CONTENT_TYPE: \(name)}}\n"
    }()

    func escapeText(_ text: String) -> String { HTML.escape(text) }
}
