import Foundation

/// The files of a new site, as `localgov init` writes them: enough to build at once with the
/// built-in theme, and to show where each kind of content goes.
public enum SiteScaffold {
    public static func files(title: String, date: Date, timeZone: TimeZone) -> [(path: String, text: String)] {
        let day = PostScaffold.day(date, in: timeZone)
        return [
            (
                ".gitignore",
                """
                # What localgov builds and fetches: made again from the sources, never committed.
                public/
                .cache/
                .localgov/

                """
            ),
            (
                "site.toml",
                """
                # Every setting is described in the README of localgov.
                title = \(PostScaffold.quoted(title))
                description = "What this site is for, in a sentence."
                # Change this to the address the site will be published at.
                base_url = "https://example.org/"
                language = "en-GB"
                timezone = "Europe/London"

                [[menu]]
                name = "Blog"
                url = "/blog/"

                [[menu]]
                name = "Service Standard"
                url = "/standard/"

                [[menu]]
                name = "About"
                url = "/about/"

                [blog]
                page_size = 10
                home_posts = 3

                """
            ),
            (
                "content/_index.md",
                """
                ---
                title: \(PostScaffold.quoted(title))
                summary: "What this site is for, in a sentence."
                ---

                Say here who the site is for and what they will find on it. This text is the home page's
                introduction: edit content/_index.md to change it.

                """
            ),
            (
                "content/blog/welcome.md",
                """
                ---
                title: "Welcome to our new site"
                date: \(day)
                authors: ["The editors"]
                tags: ["news"]
                summary: "Why we made this site and what we will write about."
                ---

                This is the first post. Posts live in content/blog/, one markdown file each, and appear
                on the blog newest first. `localgov new post "A title"` starts a new one.

                ## What comes next

                Write about what you are doing, what you learned and what others can reuse.

                """
            ),
            (
                "content/pages/about.md",
                """
                ---
                title: "About us"
                summary: "Who we are and how to get in touch."
                ---

                Pages such as this one live in content/pages/ and are published at their own address,
                /about/ for this file. Say who you are, what you do and how people can reach you.

                """
            ),
            (
                "content/standard/_index.md",
                """
                ---
                title: "Our service standard"
                summary: "The points every service we run should meet."
                ---

                A standard is a numbered list of points, one file each in content/standard/. Each point
                says what a team must do, why it matters and what a reviewer will look for.

                """
            ),
            (
                "content/standard/01-understand-user-needs.md",
                """
                ---
                point: 1
                title: "Understand user needs"
                summary: "Research who the users of the service are and what they need."
                reviewed: \(day)
                ---

                ## Why it matters

                A service designed around what people need is one they can use first time.

                ## What a reviewer looks for

                - who the users are, and how the team found out
                - what the team learned, and how it changed the design

                """
            ),
        ]
    }
}
