import Foundation

public enum ImageError: DiagnosticConvertible {
    case unreadable(path: String, reason: String, at: SourceLocation)
    case tooLarge(path: String, bytes: Int, limit: Int, at: SourceLocation)
    case strayFile(path: String)
    case missingShareImage(written: String, at: SourceLocation)
    case vectorShareImage(written: String, at: SourceLocation)
    case damagedCache(key: String)

    public var diagnostic: Diagnostic {
        switch self {
        case let .unreadable(path, reason, location):
            Diagnostic(
                .error, code: "image.unreadable",
                "the image \(path) cannot be read (\(reason)); open it in an image editor and save it again, or replace it",
                at: location)
        case let .tooLarge(path, bytes, limit, location):
            Diagnostic(
                .warning, code: "image.too-large",
                "the image \(path) is \(English.number(bytes)) bytes, more than images.max_bytes (\(English.number(limit))); readers get smaller copies, but save it smaller (a photo needs no more than about 2,000 pixels across) so the site's repository stays quick to clone",
                at: location)
        case let .missingShareImage(written, location):
            Diagnostic(
                .error, code: "image.share-missing",
                "the sharing image \"\(written)\" is not a file of the site; put it beside the page (as chart.png) or in static/ (as /images/card.png), or give an https address",
                at: location)
        case let .vectorShareImage(written, location):
            Diagnostic(
                .warning, code: "image.share-format",
                "the sharing image \"\(written)\" is an SVG, which link previews do not show; use a PNG or JPEG about 1200 pixels wide",
                at: location)
        case let .strayFile(path):
            Diagnostic(
                .warning, code: "content.unused-file",
                "this file sits beside no post or page, so it is not published; put it in the folder of the page that uses it (content/blog/<slug>/ beside index.md, or a folder named as the page's file), or in static/",
                at: SourceLocation(file: path))
        case let .damagedCache(key):
            Diagnostic(
                .warning, code: "image.cache",
                "the processed copy .localgov/cache/images/\(key) was damaged and was made again; nothing needs doing", at: nil)
        }
    }
}

/// Every file published beside a page, and every image the site publishes: raster images
/// turned upright, stripped of their metadata and, where content shows one wider than the
/// text column, copied at narrower widths; each image in content then gets its final markup.
enum ImageStage {
    struct Output {
        var files: [OutputFile] = []
        /// The site's static files that were not images, to copy as they are.
        var otherStatic: [StaticFile] = []
        var diagnostics: [Diagnostic] = []
    }

    /// A file to publish, read when its turn comes: photos are large, and only a few at a
    /// time should be in memory.
    private struct Source: Sendable {
        var origin: String
        var output: String
        var loaded: Data?
    }

    private struct Processed: Sendable {
        var files: [OutputFile] = []
        var image: PublishedImage?
        var diagnostics: [Diagnostic] = []
    }

    static func run(
        site: inout Site, assets: [String], documents: [String], staticFiles: [StaticFile], fileSystem: some SiteFileSystem,
        store: (any ImageStore)?
    ) -> Output {
        var output = Output()
        let settings = site.config.images
        var sources = bundled(assets, site: site, documents: documents, diagnostics: &output.diagnostics)
        for file in staticFiles {
            if RasterFormat(fileName: file.outputPath) != nil || isSVG(file.outputPath) {
                sources.append(Source(origin: file.source, output: file.outputPath, loaded: file.bytes))
            } else {
                output.otherStatic.append(file)
            }
        }
        let byOutput = Dictionary(sources.map { ($0.output, $0) }, uniquingKeysWith: { first, _ in first })

        // Which published file each image in content shows, and where it is written.
        let bodies = site.bodies()
        var uses: [String: [SourceLocation]] = [:]
        let basePath = site.config.basePath
        for entry in bodies {
            for image in site[body: entry.body].images {
                guard let (path, _) = LinkTargets.resolve(image.source, from: entry.page, basePath: basePath), byOutput[path] != nil
                else { continue }
                uses[path, default: []].append(image.location)
            }
        }
        for (image, page) in site.shareImages() {
            let path = LinkTargets.resolve(image.source, from: page, basePath: basePath)?.0
            // Another site's picture is linked as it is; the build cannot check it.
            if path == nil, SafeURL.resolve(image.source, against: nil)?.lowercased().hasPrefix("http") == true { continue }
            guard let path, byOutput[path] != nil else {
                output.diagnostics.append(ImageError.missingShareImage(written: image.source, at: image.location).diagnostic)
                continue
            }
            if isSVG(path) { output.diagnostics.append(ImageError.vectorShareImage(written: image.source, at: image.location).diagnostic) }
            uses[path, default: []].append(image.location)
        }

        let usesByPath = uses
        let processed = parallelMap(sources) { source in
            process(source, uses: usesByPath[source.output] ?? [], settings: settings, fileSystem: fileSystem, store: store)
        }
        for result in processed {
            output.files += result.files
            output.diagnostics += result.diagnostics
            if let image = result.image { site.images[image.original.path] = image }
        }

        store?.saveNotes()

        let markup = ImageMarkup(site.config)
        let images = site.images
        for entry in bodies { markup.apply(to: &site[body: entry.body], on: entry.page, images: images) }
        return output
    }

    /// Files in a post's, page's or point's folder, each with where it is published: beside the
    /// page, keeping its place within the folder.
    private static func bundled(_ assets: [String], site: Site, documents: [String], diagnostics: inout [Diagnostic]) -> [Source] {
        // Voice's committed feed snapshots are data the build reads, not files to publish.
        let snapshot = site.config.voice.snapshot.isEmpty ? nil : (site.config.voice.snapshot as NSString).standardizingPath + "/"
        let files = assets.filter { snapshot == nil || !$0.hasPrefix(snapshot!) }
        guard !files.isEmpty else { return [] }
        // Only the folders above a file are looked up, with the few documents they belong to:
        // working out the folder of each of 10,000 posts was most of this stage in `serve`.
        var folders: Set<String> = []
        for file in files {
            var folder = PathText.parent(file)
            while folder.contains("/") {
                folders.insert(folder + "/")
                folder = PathText.parent(folder)
            }
        }
        let owners = bundleOwners(of: folders, among: documents)
        var published: [String: String] = [:]
        func publish(_ source: String, at path: @autoclosure () -> String) {
            guard let bundle = owners[source] else { return }
            let path = path()
            let folder = path.isEmpty || path.hasSuffix("/") ? path : PathText.parent(path)
            published[bundle] = folder.isEmpty || folder.hasSuffix("/") ? folder : folder + "/"
        }
        if !owners.isEmpty {
            for index in site.posts.indices { publish(site.posts[index].source, at: site.posts[index].path) }
            for page in site.pages { publish(page.source, at: page.path) }
            for point in site.standard?.points ?? [] { publish(point.source, at: Routes.point(point.slug)) }
        }
        // A draft's or a future post's files wait with it, unpublished and unremarked.
        let unpublished = Set(owners.values).subtracting(published.keys)
        return files.compactMap { asset in
            var folder = PathText.parent(asset)
            while folder.contains("/") {
                let key = folder + "/"
                if let target = published[key] { return Source(origin: asset, output: target + asset.dropFirst(key.count), loaded: nil) }
                if unpublished.contains(key) { return nil }
                folder = PathText.parent(folder)
            }
            diagnostics.append(ImageError.strayFile(path: asset).diagnostic)
            return nil
        }
    }

    /// The documents whose bundle folder is one of `folders`, each with that folder. A folder
    /// `x/` can only be the bundle of `x/index.md`, `x.<extension>` or `x`, so in a sorted list
    /// its documents are found by those prefixes.
    private static func bundleOwners(of folders: Set<String>, among documents: [String]) -> [String: String] {
        let paths = documents.indices.dropFirst().allSatisfy { documents[$0 - 1] <= documents[$0] } ? documents : documents.sorted()
        var owners: [String: String] = [:]
        for folder in folders {
            let stem = String(folder.dropLast())
            var index = paths.partitioningIndex { $0 >= stem }
            if index < paths.endIndex, paths[index] == stem, ContentKind.bundleFolder(stem) == folder { owners[stem] = folder }
            for prefix in [stem + ".", stem + "/" + ContentKind.bundleIndex] {
                index = paths.partitioningIndex { $0 >= prefix }
                while index < paths.endIndex, paths[index].hasPrefix(prefix) {
                    if ContentKind.bundleFolder(paths[index]) == folder { owners[paths[index]] = folder }
                    index += 1
                }
            }
        }
        return owners
    }

    private static func isSVG(_ path: String) -> Bool { PathText.pathExtension(path).lowercased() == "svg" }

    private static func process(
        _ source: Source, uses: [SourceLocation], settings: SiteConfig.Images, fileSystem: some SiteFileSystem,
        store: (any ImageStore)?
    ) -> Processed {
        var result = Processed()
        let at = uses.isEmpty ? [SourceLocation(file: source.origin)] : uses
        func tooLarge(_ size: Int) {
            guard size > settings.maxBytes else { return }
            result.diagnostics.append(ImageError.tooLarge(path: source.origin, bytes: size, limit: settings.maxBytes, at: at[0]).diagnostic)
        }
        // An image that keeps the version the store noted, with every copy the store vouches
        // for, is published without reading or decoding anything.
        let isRaster = RasterFormat(fileName: source.output) != nil
        let version = isRaster ? fileSystem.version(of: source.origin) : nil
        if let version, let noted = store?.notedSource(at: source.origin, version: version), let store,
            let kept = vouchedCopies(noted, uses: uses, settings: settings, store: store)
        {
            tooLarge(version.size)
            (result.files, result.image) = published(source, noted.header, kept.plan, kept.copies)
            return result
        }
        let bytes: Data
        do {
            bytes = try source.loaded ?? fileSystem.read(source.origin)
        } catch {
            result.diagnostics = at.map { ImageError.unreadable(path: source.origin, reason: error.localizedDescription, at: $0).diagnostic }
            return result
        }
        guard isRaster else {
            result.files = [OutputFile(path: source.output, bytes: bytes, origin: source.origin)]
            if isSVG(source.output), let size = SVGSize.of(bytes) {
                result.image = PublishedImage(
                    original: ImageCopy(path: source.output, width: size.width, height: size.height, mediaType: "image/svg+xml"))
            }
            return result
        }
        tooLarge(bytes.count)
        do throws(ImageCodecError) {
            let noted = NotedSource(digest: ImageRecipe.digest(bytes), header: try ImageCodec.header(of: bytes))
            let header = noted.header
            let plan = plan(header, uses: uses, settings: settings)
            // A GIF is left as it is where libvips cannot write one; GIFs rarely carry a position.
            let copies: [Copy] =
                header.format == .gif && !ImageCodec.canWriteGIF
                ? [Copy(content: .bytes(bytes), width: header.width, height: header.height)]
                : try copies(of: bytes, noted.digest, plan, settings: settings, store: store, diagnostics: &result.diagnostics)
            (result.files, result.image) = published(source, header, plan, copies)
            if let version { store?.noteSource(at: source.origin, version: version, noted) }
        } catch {
            result.files = []
            result.diagnostics += at.map { ImageError.unreadable(path: source.origin, reason: error.reason, at: $0).diagnostic }
        }
        return result
    }

    private typealias Plan = [(width: Int?, format: RasterFormat)]

    /// The full-size copy, and narrower ones of a still image a page shows wider than the text column.
    private static func plan(_ header: ImageHeader, uses: [SourceLocation], settings: SiteConfig.Images) -> Plan {
        var plan: Plan = [(nil, header.format)]
        if !uses.isEmpty, header.format != .gif, header.frames == 1, header.width > settings.contentWidth {
            let widths = settings.widths.filter { $0 < header.width }
            plan += widths.map { ($0, .webp) }
            if header.format != .webp {
                plan += widths.map { ($0, header.format) }
                if header.width <= settings.widths.max() ?? 0 { plan.append((header.width, .webp)) }
            }
        }
        return plan
    }

    /// The source's files and its image, as pages show it, from its copies in the order planned.
    private static func published(
        _ source: Source, _ header: ImageHeader, _ plan: Plan, _ copies: [Copy]
    ) -> ([OutputFile], PublishedImage) {
        let full = copies[0]
        var files = [OutputFile(path: source.output, content: full.content, origin: source.origin)]
        var image = PublishedImage(
            original: ImageCopy(path: source.output, width: full.width, height: full.height, mediaType: header.format.mediaType))
        let stem = (source.output as NSString).deletingPathExtension
        for (copy, (_, format)) in zip(copies, plan).dropFirst() {
            let path = "\(stem)-\(copy.width).\(format.fileExtension)"
            files.append(OutputFile(path: path, content: copy.content, origin: source.origin))
            image.variants.append(ImageCopy(path: path, width: copy.width, height: copy.height, mediaType: format.mediaType))
        }
        image.variants.sort { ($0.width, $0.mediaType) < ($1.width, $1.mediaType) }
        return (files, image)
    }

    /// Every planned copy of a noted source, where the store vouches for each; nil where one must
    /// be loaded, decoded or made. A GIF that libvips may not write takes the long way.
    private static func vouchedCopies(
        _ noted: NotedSource, uses: [SourceLocation], settings: SiteConfig.Images, store: any ImageStore
    ) -> (plan: Plan, copies: [Copy])? {
        guard noted.header.format != .gif else { return nil }
        let plan = plan(noted.header, uses: uses, settings: settings)
        var copies: [Copy] = []
        for (key, _) in recipes(noted.digest, plan, settings: settings) {
            guard let vouched = store.vouchedCopy(key) else { return nil }
            copies.append(Copy(content: vouched.content, width: vouched.width, height: vouched.height))
        }
        return (plan, copies)
    }

    /// Each planned copy's key in the store and what libvips is asked to make.
    private static func recipes(
        _ digest: String, _ plan: Plan, settings: SiteConfig.Images
    ) -> [(key: String, request: ImageCodec.CopyRequest)] {
        plan.map { width, format in
            let request = ImageCodec.CopyRequest(
                width: width, format: format, quality: format == .webp ? settings.webpQuality : settings.jpegQuality)
            return (ImageRecipe(sourceDigest: digest, width: width, format: format, quality: request.quality).key, request)
        }
    }

    private struct Copy {
        var content: OutputFile.Content
        var width: Int
        var height: Int
    }

    /// Each planned copy, from the store where it was made before from the same bytes with the
    /// same settings; the rest made together, from one decode of the image. Each is noted in the
    /// store with its size, for the next build to take without decoding it.
    private static func copies(
        of bytes: Data, _ digest: String, _ plan: Plan, settings: SiteConfig.Images, store: (any ImageStore)?,
        diagnostics: inout [Diagnostic]
    ) throws(ImageCodecError) -> [Copy] {
        let recipes = recipes(digest, plan, settings: settings)
        var copies: [Copy?] = recipes.map { key, request in
            guard let kept = store?.load(key) else { return nil }
            // A copy that no longer decodes (a disk error, an edit by hand) is made again.
            if let header = try? ImageCodec.header(of: kept.header), header.format == request.format {
                if case .file = kept.content { store?.noteCopy(key, width: header.width, height: header.height) }
                return Copy(content: kept.content, width: header.width, height: header.height)
            }
            diagnostics.append(ImageError.damagedCache(key: key).diagnostic)
            return nil
        }
        let missing = copies.indices.filter { copies[$0] == nil }
        if !missing.isEmpty {
            let made = try ImageCodec.makeCopies(bytes, missing.map { recipes[$0].request })
            for (index, copy) in zip(missing, made) {
                let key = recipes[index].key
                let content = store?.save(key, copy.bytes) ?? .bytes(copy.bytes)
                if case .file = content { store?.noteCopy(key, width: copy.width, height: copy.height) }
                copies[index] = Copy(content: content, width: copy.width, height: copy.height)
            }
        }
        return copies.map { $0! }
    }
}
