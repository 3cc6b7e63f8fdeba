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
