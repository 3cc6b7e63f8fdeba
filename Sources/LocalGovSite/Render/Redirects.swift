import Foundation

/// Old addresses kept alive: a page at each (for any static host), and the whole map for real
/// servers, which answer with a 301 before any page is read.
extension SiteRenderer {
    /// Aliases with a query (`/?p=123`) have no page: a file's name cannot hold a query.
    var redirectJobs: [Job] {
        site.redirects.indices.filter { site.redirects[$0].alias.page != nil }.map(Job.redirect)
    }

    func redirectPage(_ index: Int) -> RenderedPage {
        let redirect = site.redirects[index]
        let relative = redirect.alias.page ?? ""
        // Its own title ("This page has moved: …"), so that it is never taken for the page itself.
        let moved = theme.strings(for: redirect.language ?? site.config.language)["moved_heading"] ?? "This page has moved"
        var context = frame(
            relative: relative, title: "\(moved): \(redirect.title)", section: nil, description: "", language: redirect.language)
        // Search engines move what they knew to the new address and do not index this one.
        context["canonical"] = routes.absolute(redirect.target)
        context["share"] = nil
        context["redirect"] = ["url": routes.link(redirect.target), "title": redirect.title, "script": routes.link(Self.redirectScript)]
        context["description"] = nil
        return (relative, "redirect", context, redirect.source)
    }

    static let redirectScript = "assets/redirect.js"

    /// `_redirects` (Netlify and Cloudflare Pages read it) and the two nginx maps that
    /// `deploy/nginx.conf` includes: by path, and by whole address for aliases with a query.
    /// Written even when empty, so that the server's configuration always finds its files.
    func redirectMaps() -> [OutputFile] {
        var netlify = "# Old addresses and where they now lead, written by localgov build.\n"
        var byPath = "# Included by deploy/nginx.conf in `map $uri $localgov_redirect`.\n"
        var byAddress = "# Included by deploy/nginx.conf in `map $request_uri $localgov_redirect_query`.\n"
        for redirect in site.redirects {
            let target = routes.link(redirect.target)
            // A page alias as the decoded path nginx compares; a query alias as it is requested.
            let from = routes.link(redirect.alias.page ?? String(redirect.alias.written.dropFirst()))
            if redirect.alias.page == nil, let query = from.firstIndex(of: "?") {
                let parameters = from[from.index(after: query)...].split(separator: "&").joined(separator: " ")
                netlify += "\(from[..<query]) \(parameters) \(Self.encoded(target)) 301!\n"
                byAddress += "\(Self.nginxString(from)) \(Self.nginxString(Self.encoded(target)));\n"
            } else {
                netlify += "\(Self.encoded(from)) \(Self.encoded(target)) 301\n"
                byPath += "\(Self.nginxString(from)) \(Self.nginxString(Self.encoded(target)));\n"
                // nginx compares the decoded path; `/old` without its slash is the same page.
                if from.hasSuffix("/"), from.count > 1 {
                    byPath += "\(Self.nginxString(String(from.dropLast()))) \(Self.nginxString(Self.encoded(target)));\n"
                }
            }
        }
        let origin = "the redirects of aliases"
        return [
            OutputFile(path: "_redirects", text: netlify, origin: origin),
            OutputFile(path: "_redirects.nginx-map", text: byPath, origin: origin),
            OutputFile(path: "_redirects-query.nginx-map", text: byAddress, origin: origin),
        ]
    }

    /// Static hosts want a path as it is sent: percent-encoded.
    private static func encoded(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
    }

    /// A quoted nginx string; addresses hold no `"`, `\`, `$` or space (front matter refuses them).
    private static func nginxString(_ text: String) -> String { "\"\(text)\"" }
}
