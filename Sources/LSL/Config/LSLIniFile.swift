/// lsl_api.cfg's INI dialect, as liblsl's INI::load reads it: `[section]` lines, `key = value` lines, `;` comment
/// lines, blank lines. Keys are `section.Key`, case-sensitive. The same lines liblsl refuses are refused here,
/// with the file and line number.
struct LSLIniFile {
    struct Entry: Equatable {
        let value: String
        let line: Int
    }

    let file: String
    private(set) var entries: [String: Entry] = [:]

    init(text: String, file: String) throws(LSLConfigError) {
        self.file = file
        var section = ""
        var number = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            number += 1
            let line = String(raw).trimmingXMLWhitespace()
            if line.isEmpty || raw.first == ";" || line.first == ";" { continue }
            if line.first == "[" {
                guard let close = line.firstIndex(of: "]") else {
                    throw LSLConfigError(file: file, line: number, message: "no closing ']' in section header \"\(line)\"")
                }
                section = String(line[line.index(after: line.startIndex)..<close]).trimmingXMLWhitespace() + "."
                continue
            }
            guard let eq = line.firstIndex(of: "=") else {
                throw LSLConfigError(file: file, line: number, message: "expected key = value, found \"\(line)\"")
            }
            let key = String(line[..<eq]).trimmingXMLWhitespace()
            let value = String(line[line.index(after: eq)...]).trimmingXMLWhitespace()
            guard !key.isEmpty else { throw LSLConfigError(file: file, line: number, message: "empty key before '='") }
            guard !value.isEmpty else { throw LSLConfigError(file: file, line: number, message: "empty value for \(key)") }
            if let earlier = entries[section + key] {
                throw LSLConfigError(file: file, line: number, message: "\(section + key) is set twice (first on line \(earlier.line))")
            }
            entries[section + key] = Entry(value: value, line: number)
        }
    }

    func string(_ key: String) -> String? { entries[key]?.value }

    func integer(_ key: String, in range: ClosedRange<Int>) throws(LSLConfigError) -> Int? {
        guard let e = entries[key] else { return nil }
        guard let v = Int(e.value), range.contains(v) else {
            throw LSLConfigError(file: file, line: e.line, message: "\(key) = \(e.value): expected an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return v
    }

    /// liblsl's `{a, b, c}` set notation; a value without braces is an error here (liblsl silently reads it as
    /// an empty set, which hides the typo).
    func set(_ key: String) throws(LSLConfigError) -> [String]? {
        guard let e = entries[key] else { return nil }
        guard e.value.hasPrefix("{"), e.value.hasSuffix("}"), e.value.count >= 2 else {
            throw LSLConfigError(file: file, line: e.line, message: "\(key) = \(e.value): expected a set like {a, b}")
        }
        return e.value.dropFirst().dropLast().split(separator: ",").map { String($0).trimmingXMLWhitespace() }.filter { !$0.isEmpty }
    }

    func fail(_ key: String, _ message: String) -> LSLConfigError {
        LSLConfigError(file: file, line: entries[key]?.line ?? 0, message: message)
    }
}
