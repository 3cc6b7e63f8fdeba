import Foundation

/// The fingerprint an importer writes as `import_checksum`: the SHA-256 of the markdown body
/// exactly as written after the front matter's closing `---` line. While a body still has it,
/// nobody has edited the post since it was imported, so the build reports the converter's
/// leftovers as warnings rather than errors; the first edit makes them the author's to fix.
public enum ImportChecksum {
    public static func of(body: String) -> String {
        "sha256:" + Fingerprint.sha256(of: Data(body.utf8)).description
    }
}
