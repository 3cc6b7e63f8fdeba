import Foundation
import Testing

@testable import LocalGovSite

@Suite struct HTMLSanitiserTests {
    let base = URL(string: "https://blog.example.org/2024/05/post/")!

    func clean(_ html: String) -> String { HTMLSanitiser.sanitise(html: html, base: base).html }

    @Test(arguments: [
        ("Hello <b>world</b>", "Hello <b>world</b>"),
        ("<p>One</p><p>Two &amp; three &lt;4&gt;</p>", "<p>One</p><p>Two &amp; three &lt;4&gt;</p>"),
        ("<script>alert(1)</script><p>after</p>", "<p>after</p>"),
        ("<img src=x onerror=alert(1)>", "<img src=\"https://blog.example.org/2024/05/post/x\" alt=\"\" loading=\"lazy\">"),
        ("<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "x"),
        ("<a href=\"JaVaScRiPt:alert(1)\">x</a>", "x"),
        ("<a href=\"&#106;avascript:alert(1)\">x</a>", "x"),
        ("<a href=\" \u{1}javascript:alert(1)\">x</a>", "x"),
        ("<a href=\"vbscript:msgbox\">x</a>", "x"),
        ("<a href=\"java\u{0}script:alert(1)\">x</a>", "x"),
        ("<img src=\"data:image/png;base64,AAAA\" alt=\"dot\">", ""),
        ("<img src=\"file:///etc/passwd\" alt=\"f\">", ""),
        ("<svg><script>alert(1)</script></svg>ok", "ok"),
        ("<svg onload=alert(1)><circle r=1 /></svg>", ""),
        ("<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>", ""),
        ("<iframe src=\"https://evil.example/\"></iframe>", ""),
        ("<object data=\"x.swf\"><embed src=\"x.swf\"></object>", ""),
        ("<form action=\"/x\"><button formaction=\"javascript:alert(1)\">go</button></form>", ""),
        ("<a xlink:href=\"javascript:alert(1)\">x</a>", "x"),
        ("<img src=\"a.png\" srcset=\"javascript:alert(1) 2x\" alt=\"A\">",
         "<img src=\"https://blog.example.org/2024/05/post/a.png\" alt=\"A\" loading=\"lazy\">"),
        ("<style>body{background:url(javascript:alert(1))}</style><p style=\"color:red\">t</p>", "<p>t</p>"),
        ("<!--<script>alert(1)</script>-->after", "after"),
        ("<p>open <em>never closed", "<p>open <em>never closed</em></p>"),
        ("<b><i>mis</b>nested</i>", "<b><i>mis</i></b>nested"),
        ("<base href=\"https://evil.example/\"><a href=\"/x\">x</a>",
         "<a href=\"https://blog.example.org/x\" rel=\"nofollow noopener ugc\">x</a>"),
        ("<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">text", "text"),
        ("<h1 id=\"t\" class=\"big\">Title</h1>", "<h2>Title</h2>"),
        ("<div onclick=\"x()\"><span>kept</span></div>", "<span>kept</span>"),
        ("<p>a\u{0}b</p>", "<p>ab</p>"),
        ("<li>stray item</li>", "stray item"),
        ("<table><tr><td>cell<td>two</table>", "<table><tr><td>cell</td><td>two</td></tr></table>"),
        ("<a href=\"https://a.example/\"><a href=\"https://b.example/\">inner</a></a>",
         "<a href=\"https://a.example/\" rel=\"nofollow noopener ugc\"></a><a href=\"https://b.example/\" rel=\"nofollow noopener ugc\">inner</a>"),
        ("<a href=\"mailto:jo@example.org\" title=\"Mail &quot;Jo&quot;\">Jo</a>",
         "<a href=\"mailto:jo@example.org\" title=\"Mail &quot;Jo&quot;\" rel=\"nofollow noopener ugc\">Jo</a>"),
        ("<ol start=\"3\" reversed type=\"a\"><li>c</li></ol>", "<ol start=\"3\" reversed><li>c</li></ol>"),
        ("<th scope=\"row\" colspan=\"2\">x</th>", "x"),
        ("<blockquote cite=\"javascript:x\"><p>q</p></blockquote>", "<blockquote><p>q</p></blockquote>"),
        ("<img src=\"//cdn.example.net/i.png\" alt=\"i\" width=\"100px\" height=\"50\">",
         "<img src=\"https://cdn.example.net/i.png\" alt=\"i\" height=\"50\" loading=\"lazy\">"),
    ])
    func sanitises(input: String, expected: String) {
        #expect(clean(input) == expected)
    }
}

extension HTMLSanitiserTests {
    /// Classic vectors and broken markup; whatever the parser makes of them, the output must
    /// hold no script, no event handler and no script URL.
    static let hostile = [
        "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<scr<script>ipt>alert(1)</script>",
        "<img src=x onerror=alert(1)>", "<img src=\"x\" ONERROR=\"alert(1)\">", "<img/src=x/onerror=alert(1)>",
        "<a href=\"jav&#x09;ascript:alert(1)\">t</a>", "<a href=\"jav&#x0A;ascript:alert(1)\">t</a>",
        "<a href=\"&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)\">t</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">t</a>", "<a href=\"  javascript:alert(1)\">t</a>",
        "<a href=\"javascript&colon;alert(1)\">t</a>", "<a href=\"java\u{0}script:alert(1)\">t</a>",
        "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
        "<svg><script>alert(1)</script></svg>", "<svg onload=alert(1)>", "<svg><a xlink:href=\"javascript:alert(1)\">x</a></svg>",
        "<math><maction actiontype=\"statusline\" xlink:href=\"javascript:alert(1)\">x</maction></math>",
        "<iframe src=\"javascript:alert(1)\"></iframe>", "<iframe srcdoc=\"<script>alert(1)</script>\">",
        "<object data=\"javascript:alert(1)\"></object>", "<embed src=\"javascript:alert(1)\">",
        "<form><button formaction=\"javascript:alert(1)\">x</button></form>", "<input onfocus=alert(1) autofocus>",
        "<a xlink:href=\"javascript:alert(1)\">x</a>", "<img src=a.png srcset=\"javascript:alert(1)\">",
        "<style>*{background:url(javascript:alert(1))}</style>", "<p style=\"background:url(javascript:alert(1))\">x</p>",
        "<!--><script>alert(1)</script>-->", "<!-- --!><script>alert(1)</script> -->", "<!--[if IE]><script>alert(1)</script><![endif]-->",
        "<p><b><i>unclosed", "<table><td><script>alert(1)</script>", "</div></p></li></td></tr></table><script>alert(1)</script>",
        "<base href=\"javascript:alert(1)//\"><a href=\"x\">x</a>", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<meta charset=\"utf-7\">+ADw-script+AD4-alert(1)+ADw-/script+AD4-", "<body onload=alert(1)>text</body>",
        "<details open ontoggle=alert(1)>", "<video><source onerror=alert(1)></video>", "<a href=\"x\" onmouseover=\"alert(1)\">x</a>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
        "<template><script>alert(1)</script></template>", "<xmp><script>alert(1)</script></xmp>",
        "<textarea></textarea><script>alert(1)</script>", "<title></title><script>alert(1)</script>",
        "<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116:alert(1)\">x</a>",
        "<img src=\"java\nscript:alert(1)\">", "<a href=\"\u{FEFF}javascript:alert(1)\">x</a>", "<?xml-stylesheet href=\"javascript:alert(1)\"?>x",
        "<![CDATA[<script>alert(1)</script>]]>", "<a href=\"http://ok.example/\" <script>alert(1)</script>>x</a>",
    ]

    @Test func hostileCorpusCannotScript() {
        for input in Self.hostile {
            let output = clean(input).lowercased()
            #expect(!output.contains("<script"), "\(input) → \(output)")
            #expect(!output.contains("javascript:"), "\(input) → \(output)")
            #expect(!output.contains("data:"), "\(input) → \(output)")
            #expect(output.range(of: #"\son[a-z]+\s*="#, options: .regularExpression) == nil, "\(input) → \(output)")
            for element in ["<iframe", "<svg", "<math", "<style", "<form", "<object", "<embed", "<meta", "<base", "<body"] {
                #expect(!output.contains(element), "\(input) → \(output)")
            }
            for attribute in ["style=", "srcset=", "xlink:", "formaction", "class=", " id="] {
                #expect(!output.contains(attribute), "\(input) → \(output)")
            }
        }
    }

    /// Every element we open is closed, innermost first, so the content cannot close an element
    /// of the page around it.
    @Test func outputIsBalanced() {
        let samples = Self.hostile + [
            "<p>one<p>two<ul><li>a<li>b</ul><blockquote>q", "<table><tr><td><p>cell</table></td>after",
            "<h1><h2>heads</h1></h2>", "<dl><dt>t<dd>d<dd>e</dl><dd>stray</dd>", "<pre><code>x < y</code></pre>",
            "<figure><img src=a.png alt=a><figcaption>c</figcaption></figure><figcaption>out</figcaption>",
            "<p>para <ul><li>list in para</li></ul></p>", "<span><p>block in span</p></span>",
        ]
        for input in samples {
            let output = clean(input)
            #expect(Self.openElementsAfter(output) == [], "\(input) → \(output)")
        }
    }

    /// The elements left open after reading `html`, or nil if an end tag did not match.
    static func openElementsAfter(_ html: String) -> [String]? {
        var stack: [String] = []
        let tags = html.matches(of: /<(\/?)([a-z0-9]+)/)
        for tag in tags {
            let name = String(tag.output.2)
            if tag.output.1.isEmpty {
                if !["br", "img", "hr"].contains(name) { stack.append(name) }
            } else {
                guard stack.popLast() == name else { return nil }
            }
        }
        return stack
    }

    @Test func blocksNeverLandInsidePhrasingOrOutsideTheirContainers() {
        #expect(clean("<p>para <ul><li>item</li></ul></p>") == "<p>para </p><ul><li>item</li></ul>")
        #expect(clean("<span><p>block</p> in span</span>") == "<span>block in span</span>")
        #expect(clean("<dd>stray</dd><dl><dt>t</dt><dd>d</dd></dl>") == "stray<dl><dt>t</dt><dd>d</dd></dl>")
        #expect(clean("<ul>text<li>a</li><p>p</p></ul>") == "<ul><li>a</li></ul>")
        #expect(clean("<figcaption>out</figcaption>") == "out")
    }

    @Test func imagesWithoutAltAreReported() {
        let result = HTMLSanitiser.sanitise(html: "<img src=\"a.png\"><img src=\"b.png\" alt=\"B\">", base: base)
        #expect(result.imagesWithoutAlt == ["https://blog.example.org/2024/05/post/a.png"])
        #expect(result.html.contains("<img src=\"https://blog.example.org/2024/05/post/a.png\" alt=\"\" loading=\"lazy\">"))
    }

    @Test func relativeURLsStayRelativeWithoutABase() {
        #expect(HTMLSanitiser.sanitise(html: "<a href=\"/about/\">a</a>", base: nil).html
            == "<a href=\"/about/\" rel=\"nofollow noopener ugc\">a</a>")
        #expect(HTMLSanitiser.sanitise(html: "<a href=\"javascript:x\">a</a>", base: nil).html == "a")
    }

    @Test func plainTextDropsMarkupAndHiddenContent() {
        #expect(HTMLSanitiser.plainText(html: "Ben &amp;amp; Jerry’s <b>new</b>\n  flavour<script>x()</script>")
            == "Ben &amp; Jerry’s new flavour")
        #expect(HTMLSanitiser.plainText(html: "") == "")
    }
}
