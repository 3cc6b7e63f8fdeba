import Crypto
import Foundation

/// The fingerprint an importer writes as `import_checksum`: the SHA-256 of the markdown body
/// exactly as written after the front matter's closing `---` line. While a body still has it,
/// nobody has edited the post since it was imported, so the build reports the converter's
/// leftovers as warnings rather than errors; the first edit makes them the author's to fix.
public enum ImportChecksum {
    public static func of(body: String) -> String {
        let digest = SHA256.hash(data: Data(body.utf8))
        return "sha256:" + digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
