/// What `localgov --version` prints; the packages take their version from it.
enum Version {
    static let number = "0.17.0"

    /// `localgov 0.17.0 (commit 1a2b3c4d5e6f)`: the commit is read from the checkout it was built from.
    static var description: String {
        "localgov \(number) (commit \(BuiltIn.commit.map { String($0.prefix(12)) } ?? "unknown"))"
    }
}
