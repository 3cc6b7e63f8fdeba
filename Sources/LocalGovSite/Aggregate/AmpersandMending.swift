import CLibXML2
import Foundation

/// The faults that make most hand-made feeds ill-formed, mended before a second parse: a bare
/// `&` (in a title such as "Fish & chips") becomes `&amp;`, and an HTML entity that XML does not
/// define (`&nbsp;`, `&eacute;`) becomes a character reference. CDATA sections and comments,
/// where `&` is already literal, are left alone.
enum AmpersandMending {
    static func mend(_ data: Data) -> (data: Data, repairs: [String]) {
        let bytes = [UInt8](data)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 64)
        var bare: (count: Int, line: Int, column: Int) = (0, 0, 0)
        var entities: (count: Int, first: String) = (0, "")
        var line = 1, lineStart = 0
        var index = 0
        func starts(_ text: String, at position: Int) -> Bool {
            let pattern = Array(text.utf8)
            return position + pattern.count <= bytes.count && Array(bytes[position..<position + pattern.count]) == pattern
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<"), let close = [("<![CDATA[", "]]>"), ("<!--", "-->")].first(where: { starts($0.0, at: index) })?.1 {
                var end = index + 4
                while end < bytes.count && !starts(close, at: end) { end += 1 }
                end = min(bytes.count, end + close.utf8.count)
                for position in index..<end where bytes[position] == 0x0A {
                    line += 1
                    lineStart = position + 1
                }
                output += bytes[index..<end]
                index = end
                continue
            }
            if byte == 0x0A {
                line += 1
                lineStart = index + 1
            }
            guard byte == UInt8(ascii: "&") else {
                output.append(byte)
                index += 1
                continue
            }
            let reference = referenceName(bytes, after: index)
            switch reference {
            case .character, .xml:
                output.append(byte)
            case .html(let name, let scalar):
                output += Array("&#\(scalar);".utf8)
                if entities.count == 0 { entities.first = name }
                entities.count += 1
                index += name.utf8.count + 2
                continue
            case .none:
                output += Array("&amp;".utf8)
                if bare.count == 0 { bare = (0, line, index - lineStart + 1) }
                bare.count += 1
            }
            index += 1
        }
        var repairs: [String] = []
        if bare.count > 0 {
            repairs.append(
                "\(English.count(bare.count, "bare & character")) escaped as &amp; (the first at line \(bare.line), column \(bare.column)); write & as &amp; in XML")
        }
        if entities.count > 0 {
            repairs.append(
                "\(English.count(entities.count, "HTML entity", plural: "HTML entities")) that XML does not define (such as &\(entities.first);) read as the characters they stand for")
        }
        return (Data(output), repairs)
    }

    private enum Reference {
        case character, xml
        case html(name: String, scalar: UInt32)
    }

    /// What follows an `&`: a character reference, one of XML's five entities, an HTML entity,
    /// or nothing that ends in `;` (a bare ampersand).
    private static func referenceName(_ bytes: [UInt8], after ampersand: Int) -> Reference? {
        var end = ampersand + 1
        while end < bytes.count, end - ampersand <= 32, bytes[end] != UInt8(ascii: ";") {
            let byte = bytes[end]
            guard (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == UInt8(ascii: "#")
            else { return nil }
            end += 1
        }
        guard end < bytes.count, bytes[end] == UInt8(ascii: ";"), end > ampersand + 1 else { return nil }
        let name = String(decoding: bytes[(ampersand + 1)..<end], as: UTF8.self)
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let valid = digits.hasPrefix("x") || digits.hasPrefix("X")
                ? digits.count > 1 && digits.dropFirst().allSatisfy(\.isHexDigit)
                : !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
            return valid ? .character : nil
        }
        if ["amp", "lt", "gt", "quot", "apos"].contains(name) { return .xml }
        guard let entity = name.withCString({ htmlEntityLookup(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }) else {
            return nil
        }
        return .html(name: name, scalar: entity.pointee.value)
    }
}
