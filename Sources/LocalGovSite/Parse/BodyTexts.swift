import Synchronization

/// A body's HTML and plain text. A body just parsed holds them; one the build store kept reads
/// them when a stage first asks, as a build after one edit renders few pages: reading every
/// kept body's texts was half of reading 10,000 kept parses back. Changes to the HTML (images
/// placed, references resolved) wait with them.
final class BodyTexts: Sendable {
    struct Texts: Sendable, Hashable {
        var html: String
        var plainText: String
    }

    private let made: Mutex<Texts?>
    private let make: @Sendable () -> Texts

    init(_ texts: Texts) {
        made = Mutex(texts)
        make = { texts }
    }

    /// Texts `make` reads or makes when they are first asked for, once.
    init(making make: @escaping @Sendable () -> Texts) {
        made = Mutex(nil)
        self.make = make
    }

    var texts: Texts {
        // Held while making: a second stage asking for the same body waits for the one read.
        made.withLock { made in
            if let made { return made }
            let texts = make()
            made = texts
            return texts
        }
    }

    /// These texts with `change` made to the HTML: at once if they are here, else when read.
    func changingHTML(_ change: @escaping @Sendable (String) -> String) -> BodyTexts {
        if let texts = made.withLock({ $0 }) { return BodyTexts(Texts(html: change(texts.html), plainText: texts.plainText)) }
        return BodyTexts { [self] in
            let texts = self.texts
            return Texts(html: change(texts.html), plainText: texts.plainText)
        }
    }
}
