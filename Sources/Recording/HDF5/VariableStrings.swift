import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// Marshalling between Swift strings and HDF5's variable-length string buffers (arrays of `char *`).
enum VariableStrings {
    /// Calls `body` with C copies of `strings`, freed afterwards.
    @discardableResult
    static func withPointers<Result>(
        _ strings: [String], _ body: (UnsafeRawPointer) throws(HDF5Error) -> Result
    ) throws(HDF5Error) -> Result {
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        // Array's closures are untyped-rethrows, so carry the typed error across as a value.
        let outcome: Swift.Result<Result, HDF5Error> = pointers.withUnsafeBytes { raw in
            do throws(HDF5Error) { return .success(try body(raw.baseAddress!)) } catch { return .failure(error) }
        }
        return try outcome.get()
    }

    /// Lets `fill` read `count` variable-length strings into a buffer, converts them, and returns
    /// the library-allocated memory to HDF5.
    static func read(count: Int, _ fill: (UnsafeMutableRawPointer) throws(HDF5Error) -> Void) throws(HDF5Error) -> [String] {
        guard count > 0 else { return [] }
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
        let outcome: Swift.Result<Void, HDF5Error> = pointers.withUnsafeMutableBytes { raw in
            do throws(HDF5Error) { return .success(try fill(raw.baseAddress!)) } catch { return .failure(error) }
        }
        defer { pointers.forEach { if let pointer = $0 { H5free_memory(pointer) } } }
        try outcome.get()
        return pointers.map { $0.map { String(cString: $0) } ?? "" }
    }

    /// Encodes strings as fixed-width NUL-padded UTF-8 fields, truncating at a character boundary.
    static func fixedWidth(_ strings: [String], width: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: strings.count * width)
        for (row, string) in strings.enumerated() {
            let encoded = truncatedUTF8(string, maxBytes: width)
            bytes.replaceSubrange(row * width ..< row * width + encoded.count, with: encoded)
        }
        return bytes
    }

    static func decodeFixedWidth(_ bytes: [UInt8], width: Int) -> [String] {
        guard width > 0 else { return [] }
        return stride(from: 0, to: bytes.count, by: width).map { start in
            let field = bytes[start ..< start + width]
            return String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    static func truncatedUTF8(_ string: String, maxBytes: Int) -> [UInt8] {
        var result: [UInt8] = []
        for character in string {
            let encoded = Array(String(character).utf8)
            if result.count + encoded.count > maxBytes { break }
            result += encoded
        }
        return result
    }
}
