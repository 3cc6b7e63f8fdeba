import Foundation
import LocalGovSite

/// What `serve` adds to the site in the browser, and never to `build`'s output.
enum ServePages {
    static let eventsPath = "/__localgov/events"
    static let scriptPath = "/__localgov/reload.js"

    /// Reloads the tab after each build that changed its page. EventSource reconnects by itself when the server restarts.
    static let reloadScript = """
        // Added by `localgov serve` only: reloads this tab when the site has been rebuilt.
        (() => {
          const events = new EventSource("\(eventsPath)?page=" + encodeURIComponent(location.pathname));
          let version = null;
          events.addEventListener("build", (event) => {
            if (version !== null && event.data !== version) location.reload();
            version = event.data;
          });
        })();

        """

    /// The page with the reload script before `</body>` (or at the end, for a page without one).
    static func withReloadScript(_ html: Data) -> Data {
        let tag = Data("<script src=\"\(scriptPath)\"></script>\n".utf8)
        guard let end = html.range(of: Data("</body>".utf8), options: .backwards) else { return html + tag }
        var page = html
        page.insert(contentsOf: tag, at: end.lowerBound)
        return page
    }

    /// Shown instead of any page while the latest build has errors: each with its file, line and
    /// column, and a link to the last good version of the page asked for.
    static func errorPage(_ errors: [Diagnostic], lastGood: String?) -> Data {
        let items = errors.map { diagnostic in
            let place = diagnostic.location.map { "<code>\(HTML.escape($0.description))</code>: " } ?? ""
            return "<li>\(place)\(HTML.escape(diagnostic.message))</li>"
        }
        let count = errors.count == 1 ? "1 error" : "\(errors.count) errors"
        let link = lastGood.map { "<p><a href=\"\(HTML.escape($0))\">See the last version of this page that built</a>.</p>" } ?? ""
        return Data(
            """
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>The site has \(count) – localgov serve</title>
            <style>
            body { margin: 0 auto; max-width: 48rem; padding: 1rem; font: 1.1875rem/1.5 system-ui, sans-serif; color: #0b0c0c; background: #fff; }
            .errors { border-left: 0.5rem solid #d4351c; padding-left: 1rem; }
            code { overflow-wrap: anywhere; font-size: 1rem; }
            a { color: #1a4a8a; }
            a:focus-visible { outline: 3px solid transparent; color: #0b0c0c; background: #fd0; box-shadow: 0 -2px #fd0, 0 4px #0b0c0c; text-decoration: none; }
            </style>
            </head>
            <body>
            <main>
            <h1>The site has \(count)</h1>
            <div class="errors" role="alert">
            <p>Fix \(errors.count == 1 ? "it" : "them") and save: this page reloads when the site builds again.</p>
            <ul>
            \(items.joined(separator: "\n"))
            </ul>
            </div>
            \(link)
            </main>
            </body>
            </html>

            """.utf8)
    }
}
