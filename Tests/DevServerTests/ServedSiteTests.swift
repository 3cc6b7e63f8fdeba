import Foundation
import Testing

@testable import DevServer

@Suite struct ServedSiteTests {
    let site = ServedSite(
        files: [
            "index.html": .bytes(Data("home".utf8)), "blog/index.html": .bytes(Data("blog".utf8)), "404.html": .bytes(Data("missing".utf8)),
            "assets/style.css": .bytes(Data("css".utf8)), "blog/feed.xml": .bytes(Data("rss".utf8)),
        ])

    @Test func cleanAddressesFilesAndTheirTypes() {
        #expect(site.answer("/") == .file(path: "index.html", bytes: Data("home".utf8), contentType: "text/html; charset=utf-8"))
        #expect(site.answer("/blog/") == .file(path: "blog/index.html", bytes: Data("blog".utf8), contentType: "text/html; charset=utf-8"))
        #expect(site.answer("/blog") == .redirect(to: "/blog/"))
        #expect(site.answer("/assets/style.css") == .file(path: "assets/style.css", bytes: Data("css".utf8), contentType: "text/css; charset=utf-8"))
        #expect(site.answer("/blog/feed.xml") == .file(path: "blog/feed.xml", bytes: Data("rss".utf8), contentType: "application/xml; charset=utf-8"))
        #expect(site.answer("/nothing/") == .notFound(page: Data("missing".utf8)))
    }

    @Test func nothingOutsideTheSiteIsReachable() {
        for path in ["/../site.toml", "/%2e%2e/site.toml", "/blog/..%2f..%2fsite.toml", "/./index.html", "/a\\b", "/%00", "/%zz"] {
            guard case .refused = site.answer(path) else {
                Issue.record("\(path) was not refused: \(site.answer(path))")
                continue
            }
        }
    }

    @Test func aSiteUnderAPathIsServedThere() {
        var sub = site
        sub.basePath = "/network/"
        #expect(sub.answer("/network/blog/") == .file(path: "blog/index.html", bytes: Data("blog".utf8), contentType: "text/html; charset=utf-8"))
        #expect(sub.answer("/network") == .redirect(to: "/network/"))
        #expect(sub.answer("/blog/") == .notFound(page: Data("missing".utf8)))
    }

    @Test func theReloadScriptGoesBeforeTheEndOfTheBody() {
        let page = ServePages.withReloadScript(Data("<html><body><p>x</p></body></html>".utf8))
        #expect(String(decoding: page, as: UTF8.self) == "<html><body><p>x</p><script src=\"/__localgov/reload.js\"></script>\n</body></html>")
    }
}
