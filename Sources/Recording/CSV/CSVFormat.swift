/// The CSV dialect recordings and exports share: header `index,device_time_us,<channel>…`, one row per
/// sample, numbers in Swift's shortest round-tripping form (parsing a field gives back the exact Double).
enum CSVFormat {
    static func header(channelNames: [String]) -> String {
        (["index", "device_time_us"] + channelNames.map(field)).joined(separator: ",") + "\n"
    }

    /// Quotes a field only when it holds a comma, quote or line break (RFC 4180).
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Shortest representation that parses back to the same Double (`0.1`, `1e-07`, `nan`, `inf`).
    static func number(_ value: Double) -> String { value.description }

    /// Appends the rows of `block` for the chosen column positions to `output`.
    static func appendRows(of block: SampleBlock, columns: [Int], rawCounts: Bool, to output: inout String) {
        let width = block.channelCount
        for row in 0..<block.sampleCount {
            output += String(block.index[row])
            output += ","
            output += String(block.deviceTimeUs[row])
            for column in columns {
                output += ","
                output += rawCounts ? String(block.raw[row * width + column]) : number(block.values[row * width + column])
            }
            output += "\n"
        }
    }
}
