import Foundation

/// libvips 8.14's WebP saver writes an EXIF chunk of its own (orientation, resolution) even when
/// told to strip metadata; this takes EXIF and XMP chunks out of a WebP file's RIFF container
/// and clears their flags, so no published WebP carries either.
enum WebPMetadata {
    private static let dropped: Set<String> = ["EXIF", "XMP "]
    /// In the VP8X chunk's first byte.
    private static let exifFlag: UInt8 = 0x08
    private static let xmpFlag: UInt8 = 0x04

    /// `bytes` without EXIF and XMP; bytes that are not a well-formed WebP come back unchanged.
    static func stripped(_ bytes: Data) -> Data {
        let data = [UInt8](bytes)
        guard data.count >= 12, fourCC(data, 0) == "RIFF", fourCC(data, 8) == "WEBP" else { return bytes }
        var chunks: [UInt8] = []
        var offset = 12
        while offset + 8 <= data.count {
            let name = fourCC(data, offset)
            let size = Int(data[offset + 4]) | Int(data[offset + 5]) << 8 | Int(data[offset + 6]) << 16 | Int(data[offset + 7]) << 24
            let end = offset + 8 + size + (size % 2)
            guard end <= data.count || offset + 8 + size == data.count else { return bytes }
            let chunk = data[offset..<min(end, data.count)]
            if !dropped.contains(name) {
                var kept = Array(chunk)
                if name == "VP8X", kept.count > 8 { kept[8] &= ~(exifFlag | xmpFlag) }
                chunks += kept
            }
            offset = end
        }
        let size = UInt32(chunks.count + 4)
        let header: [UInt8] = Array("RIFF".utf8) + (0..<4).map { UInt8(truncatingIfNeeded: size >> (8 * $0)) } + Array("WEBP".utf8)
        return Data(header + chunks)
    }

    private static func fourCC(_ data: [UInt8], _ offset: Int) -> String {
        String(decoding: data[offset..<offset + 4], as: UTF8.self)
    }
}
