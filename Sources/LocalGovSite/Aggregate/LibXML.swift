import Foundation
import CLibXML2

/// The small part of libxml2's tree that the feed reader and the sanitiser walk. Values are read
/// straight from the nodes (never through `xmlGetProp`, whose results must be freed), and only
/// while the document that owns them is alive.
enum LibXML {
    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    /// libxml2 wants one call before any thread parses; a static `let` runs it exactly once.
    static let initialised: Void = xmlInitParser()

    typealias Node = UnsafeMutablePointer<xmlNode>

    /// Why a document could not be read, with where libxml2 stopped.
    enum ReadFailure: Error {
        /// `<!ENTITY` in the document type: how entity-expansion and file-reading attacks start.
        case entityDeclaration(line: Int, column: Int)
        case malformed(line: Int, column: Int, message: String)
    }

    /// No network (NONET), no DTD loading and no entity substitution (neither DTDLOAD nor
    /// NOENT), errors kept for our message instead of printed (NOERROR, NOWARNING), CDATA
    /// read as text. RECOVER only where a caller asks for it (see `Document`).
    static let xmlOptions = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue)

    /// Parses untrusted XML and hands `body` its root element, valid only during the call.
    static func withXMLDocument<T, E: Error>(
        _ data: Data, url: String, _ body: (Node) throws(E) -> T
    ) throws(E) -> Result<T, ReadFailure> {
        let document = Document(data, url: url, recover: false)
        if let (line, column) = document.entityDeclared { return .failure(.entityDeclaration(line: line, column: column)) }
        guard let root = document.root else {
            let failure = document.failure ?? (0, 0, "the document could not be read")
            return .failure(.malformed(line: failure.line, column: failure.column, message: failure.message))
        }
        return .success(try withExtendedLifetime(document) { () throws(E) -> T in try body(root) })
    }

    /// The first error libxml2 reports while parsing, kept by a structured error handler: the
    /// last one (what the context keeps) is often only "premature end of data".
    private final class FirstError {
        var error: (line: Int, column: Int, message: String)?
    }

    /// A parsed document, which frees itself, or where and why parsing failed. With `recover`,
    /// libxml2 reads as much of a document that is not well-formed as it can (feeds do this;
    /// exports do not). Entity declarations stop the parse either way.
    final class Document {
        let document: xmlDocPtr?
        let entityDeclared: (line: Int, column: Int)?
        let failure: (line: Int, column: Int, message: String)?

        init(_ data: Data, url: String, recover: Bool) {
            _ = LibXML.initialised
            guard let context = xmlNewParserCtxt() else { fatalError("libxml2 could not allocate a parser") }
            defer { xmlFreeParserCtxt(context) }
            // Stop at the first entity declaration, before libxml2 records or expands anything.
            context.pointee.sax.pointee.entityDecl = { parser, _, _, _, _, _ in
                xmlStopParser(parser?.assumingMemoryBound(to: xmlParserCtxt.self))
            }
            let first = FirstError()
            context.pointee._private = Unmanaged.passUnretained(first).toOpaque()
            context.pointee.sax.pointee.serror = { data, error in
                guard let parser = data?.assumingMemoryBound(to: xmlParserCtxt.self), let box = parser.pointee._private,
                    let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue
                else { return }
                let first = Unmanaged<FirstError>.fromOpaque(box).takeUnretainedValue()
                guard first.error == nil else { return }
                first.error = (
                    Int(error.pointee.line), Int(error.pointee.int2),
                    error.pointee.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) }
                        ?? "the document could not be read"
                )
            }
            let flags = LibXML.xmlOptions | (recover ? Int32(XML_PARSE_RECOVER.rawValue) : 0)
            let parsed = withExtendedLifetime(first) {
                data.withUnsafeBytes { bytes in
                    xmlCtxtReadMemory(
                        context, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(clamping: bytes.count), url, nil, flags)
                }
            }
            if context.pointee.errNo == Int32(XML_ERR_USER_STOP.rawValue) {
                let input = context.pointee.input?.pointee
                entityDeclared = (Int(input?.line ?? 0), Int(input?.col ?? 0))
            } else {
                entityDeclared = nil
            }
            let error = xmlCtxtGetLastError(context)?.pointee
            failure =
                context.pointee.wellFormed != 0
                ? nil
                : first.error
                    ?? (Int(error?.line ?? 0), Int(error?.int2 ?? 0),
                        error?.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) }
                            ?? "the document could not be read")
            document = entityDeclared == nil ? parsed : nil
            if entityDeclared != nil { parsed.map(xmlFreeDoc) }
        }

        var root: Node? { document.flatMap { xmlDocGetRootElement($0) } }

        deinit { document.map(xmlFreeDoc) }
    }

    /// The line an element starts on, for diagnostics that point into the document.
    static func line(of node: Node) -> Int {
        Int(xmlGetLineNo(node))
    }

    /// The namespaces declared on an element, as their addresses.
    static func declaredNamespaces(of node: Node) -> [String] {
        var result: [String] = []
        var namespace = node.pointee.nsDef
        while let current = namespace {
            if let href = current.pointee.href { result.append(String(cString: href)) }
            namespace = current.pointee.next
        }
        return result
    }

    static func children(of node: Node) -> UnfoldSequence<Node, Node?> {
        siblings(from: node.pointee.children)
    }

    /// `first` and the nodes after it.
    static func siblings(from first: Node?) -> UnfoldSequence<Node, Node?> {
        sequence(state: first) { next in
            defer { next = next?.pointee.next }
            return next
        }
    }

    static func elements(of node: Node) -> [Node] {
        children(of: node).filter { $0.pointee.type == XML_ELEMENT_NODE }
    }

    /// The child elements called `name` in `namespace` (nil: in no namespace).
    static func elements(of node: Node, named name: String, namespace: String?) -> [Node] {
        elements(of: node).filter { self.name(of: $0) == name && self.namespace(of: $0) == namespace }
    }

    static func child(of node: Node, named name: String, namespace: String?) -> Node? {
        children(of: node).first {
            $0.pointee.type == XML_ELEMENT_NODE && self.name(of: $0) == name && self.namespace(of: $0) == namespace
        }
    }

    static func name(of node: Node) -> String {
        node.pointee.name.map { String(cString: $0) } ?? ""
    }

    static func namespace(of node: Node) -> String? {
        node.pointee.ns?.pointee.href.map { String(cString: $0) }
    }

    /// The text of a node and its descendants. Entity references contribute nothing: the reader
    /// refuses documents that declare entities, so only undeclared (and so empty) ones can remain.
    static func text(of node: Node) -> String {
        var bytes: [UInt8] = []
        appendText(of: node, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendText(of node: Node, to bytes: inout [UInt8]) {
        for child in children(of: node) {
            switch child.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = child.pointee.content {
                    bytes.append(contentsOf: UnsafeBufferPointer(start: content, count: strlen(content)))
                }
            case XML_ELEMENT_NODE:
                appendText(of: child, to: &bytes)
            default:
                break
            }
        }
    }

    /// The attributes of an element in document order, as (name, namespace, value).
    static func attributes(of node: Node) -> [(name: String, namespace: String?, value: String)] {
        var result: [(String, String?, String)] = []
        var attribute = node.pointee.properties
        while let current = attribute {
            let name = current.pointee.name.map { String(cString: $0) } ?? ""
            let namespace = current.pointee.ns?.pointee.href.map { String(cString: $0) }
            var bytes: [UInt8] = []
            var child = current.pointee.children
            while let text = child {
                if let content = text.pointee.content {
                    bytes.append(contentsOf: UnsafeBufferPointer(start: content, count: strlen(content)))
                }
                child = text.pointee.next
            }
            result.append((name, namespace, String(decoding: bytes, as: UTF8.self)))
            attribute = current.pointee.next
        }
        return result
    }

    static func attribute(_ name: String, namespace: String? = nil, of node: Node) -> String? {
        attributes(of: node).first { $0.name == name && $0.namespace == namespace }?.value
    }

    /// The nearest value of an `xml:` attribute (`base`, `lang`) on the node or its ancestors,
    /// innermost first for `base`, which nests.
    static func inherited(_ name: String, from node: Node) -> [String] {
        var values: [String] = []
        var current: Node? = node
        while let element = current, element.pointee.type == XML_ELEMENT_NODE {
            if let value = attribute(name, namespace: xmlNamespace, of: element) { values.append(value) }
            current = element.pointee.parent
        }
        return values
    }
}
