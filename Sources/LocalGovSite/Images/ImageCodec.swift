import Foundation
import Synchronization
import VipsShim

/// The raster formats content may use, and what the image stage writes them as.
public enum RasterFormat: String, Sendable, Hashable, CaseIterable {
    case jpeg, png, webp, gif

    var fileExtension: String { self == .jpeg ? "jpg" : rawValue }
    var mediaType: String { "image/\(rawValue)" }

    /// By file name, as the build decides which files to process before reading them.
    init?(fileName: String) {
        switch PathText.pathExtension(fileName).lowercased() {
        case "jpg", "jpeg": self = .jpeg
        case "png": self = .png
        case "webp": self = .webp
        case "gif": self = .gif
        default: return nil
        }
    }

    fileprivate init?(_ format: localgov_image_format) {
        switch format {
        case LOCALGOV_IMAGE_JPEG: self = .jpeg
        case LOCALGOV_IMAGE_PNG: self = .png
        case LOCALGOV_IMAGE_WEBP: self = .webp
        case LOCALGOV_IMAGE_GIF: self = .gif
        default: return nil
        }
    }

    fileprivate var shim: localgov_image_format {
        switch self {
        case .jpeg: LOCALGOV_IMAGE_JPEG
        case .png: LOCALGOV_IMAGE_PNG
        case .webp: LOCALGOV_IMAGE_WEBP
        case .gif: LOCALGOV_IMAGE_GIF
        }
    }
}

/// What an image is, from its header alone: its size as a reader sees it (upright).
public struct ImageHeader: Sendable, Hashable {
    public var format: RasterFormat
    public var width: Int
    public var height: Int
    public var frames: Int
}

public struct EncodedImage: Sendable, Hashable {
    public var bytes: Data
    public var width: Int
    public var height: Int
}

/// libvips's reason, as it words it.
public struct ImageCodecError: Error, Sendable, Hashable {
    public var reason: String
}

/// Decoding, resizing and encoding, done by libvips.
public enum ImageCodec {
    private static let started: Bool = localgov_vips_start() == 0

    /// libvips's version, which changes what its encoders write: a constant of the library,
    /// read without starting it, so that a build whose copies are all kept never starts it.
    public static var version: String { String(cString: localgov_vips_version()) }

    /// GIF is written only where libvips was built with cgif; elsewhere a GIF is published as it is.
    static var canWriteGIF: Bool { started && localgov_vips_can_save_gif() != 0 }

    public static func header(of bytes: Data) throws(ImageCodecError) -> ImageHeader {
        try reporting {
            var header = localgov_image_header()
            let status = bytes.withUnsafeBytes { localgov_vips_header($0.baseAddress, $0.count, &header) }
            guard status == 0, let format = RasterFormat(header.format) else { return nil }
            return ImageHeader(format: format, width: Int(header.width), height: Int(header.height), frames: Int(header.pages))
        }
    }

    /// One copy of an image: its width (nil: the full size), format and quality.
    public struct CopyRequest: Sendable, Hashable {
        public var width: Int?
        public var format: RasterFormat
        public var quality: Int
    }

    /// The image decoded once, in full (so a truncated file fails here), turned upright, and
    /// written as each requested copy with no metadata at all, in the order asked.
    public static func makeCopies(_ bytes: Data, _ requests: [CopyRequest]) throws(ImageCodecError) -> [EncodedImage] {
        // Widest first: each width is resized once, from the one before it, and written in every format asked.
        let order = requests.indices.sorted { (requests[$0].width ?? .max, $0) > (requests[$1].width ?? .max, $1) }
        return try reporting {
            var shim = order.map {
                localgov_copy_request(
                    width: Int32(requests[$0].width ?? 0), format: requests[$0].format.shim, quality: Int32(requests[$0].quality),
                    out: localgov_encoded_image())
            }
            let status = bytes.withUnsafeBytes { raw in
                shim.withUnsafeMutableBufferPointer { localgov_vips_make_copies(raw.baseAddress, raw.count, $0.baseAddress, Int32($0.count)) }
            }
            guard status == 0 else { return nil }
            var made = [EncodedImage?](repeating: nil, count: requests.count)
            for (slot, request) in zip(order, shim) {
                defer { localgov_vips_free(request.out.bytes) }
                let written = Data(bytes: request.out.bytes!, count: request.out.length)
                made[slot] = EncodedImage(
                    bytes: requests[slot].format == .webp ? WebPMetadata.stripped(written) : written, width: Int(request.out.width),
                    height: Int(request.out.height))
            }
            return made.map { $0! }
        }
    }

    private static let alone = Mutex(())

    /// libvips keeps one error buffer for the whole process, so after a failure it may hold
    /// another image's reason too. Failures are rare: the failed step runs again, alone, and
    /// its own reason is read.
    private static func reporting<T>(_ step: () -> T?) throws(ImageCodecError) -> T {
        guard started else { throw ImageCodecError(reason: "libvips could not start") }
        if let value = step() { return value }
        let outcome: Result<T, ImageCodecError> = alone.withLock { _ in
            localgov_vips_clear_error()
            return step().map { .success($0) } ?? .failure(lastError())
        }
        return try outcome.get()
    }

    private static func lastError() -> ImageCodecError {
        guard let text = localgov_vips_take_error() else { return ImageCodecError(reason: "libvips could not read it") }
        defer { localgov_vips_free(text) }
        let lines = String(cString: text).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        return ImageCodecError(reason: lines.first { !$0.isEmpty } ?? "libvips could not read it")
    }
}
