/// Fixes to cmark-gfm's HTML that make it pass WCAG checks. Each rewrites markup only cmark
/// itself produces, in the exact form it produces it.
enum AccessibleMarkup {
    static let rewrites: [(String, String)] = [
        // Column headers of GFM tables are always the header row.
        ("<th>", "<th scope=\"col\">"),
        ("<th style=", "<th scope=\"col\" style="),
        // A disabled checkbox has no label of its own; say what its state means.
        ("<input type=\"checkbox\" checked=\"\" disabled=\"\" />", "<input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"Done\" />"),
        ("<input type=\"checkbox\" disabled=\"\" />", "<input type=\"checkbox\" disabled=\"\" aria-label=\"Not done\" />"),
        // A section needs a heading; footnotes get one for screen-reader users.
        ("<section class=\"footnotes\" data-footnotes>", "<section class=\"footnotes\" data-footnotes>\n<h2 class=\"visually-hidden\">Footnotes</h2>"),
    ]
}
