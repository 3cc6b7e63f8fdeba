/// Escaping for text we place into HTML and XML ourselves (templates escape their own variables).
public enum HTML {
    private static let rewriter = TextRewriter([
        ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\"", "&quot;"), ("'", "&#39;"),
    ])

    public static func escape(_ text: String) -> String { rewriter.apply(to: text) }
}
