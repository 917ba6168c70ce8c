/// One of a device's appended tables (gaps, events, clock exchanges) described as data: its group and its
/// columns, each a dataset of one type bound to one field of the row. The writer and the reader both walk the
/// description, so a column's name, type and width are stated once and the two cannot disagree.
struct RecordingTable<Row>: Sendable {
    let group: String
    /// In the file's order. The first is the table's key: the writer appends it last, so a reader that counts
    /// the key's rows counts only rows whose other cells are written.
    let columns: [Column]
    /// What a row holds before its cells are set; every field a column sets is overwritten.
    let blank: @Sendable () -> Row

    init(group: String, blank: @escaping @Sendable () -> Row, columns: [Column]) {
        self.group = group
        self.blank = blank
        self.columns = columns
    }

    func path(_ column: Column) -> String { "\(group)/\(column.name)" }

    /// The rows whose every column holds a cell (a crash between appends leaves the last row partial).
    func rows(_ cells: [[Cell]]) -> [Row] {
        let count = cells.map(\.count).min() ?? 0
        return (0..<count).map { index in
            var row = blank()
            for (column, values) in zip(columns, cells) { column.set(&row, values[index]) }
            return row
        }
    }

    enum Cell {
        case uint64(UInt64), int64(Int64), text(String)
    }

    struct Column: Sendable {
        enum Kind: Sendable, Equatable {
            case uint64, int64
            /// NUL-padded UTF-8 of at most `bytes` (SWMR cannot append variable-length strings).
            case text(bytes: Int)
        }

        let name: String
        let kind: Kind
        let get: @Sendable (Row) -> Cell
        let set: @Sendable (inout Row, Cell) -> Void

        static func uint64(_ name: String, _ field: WritableKeyPath<Row, UInt64> & Sendable) -> Column {
            Column(name: name, kind: .uint64, get: { .uint64($0[keyPath: field]) }) { row, cell in
                if case .uint64(let value) = cell { row[keyPath: field] = value }
            }
        }

        static func int64(_ name: String, _ field: WritableKeyPath<Row, Int64> & Sendable) -> Column {
            Column(name: name, kind: .int64, get: { .int64($0[keyPath: field]) }) { row, cell in
                if case .int64(let value) = cell { row[keyPath: field] = value }
            }
        }

        static func text(_ name: String, bytes: Int, _ field: WritableKeyPath<Row, String> & Sendable) -> Column {
            Column(name: name, kind: .text(bytes: bytes), get: { .text($0[keyPath: field]) }) { row, cell in
                if case .text(let value) = cell { row[keyPath: field] = value }
            }
        }

        /// A field stored by its raw value; a value this version does not know reads as `unknown`.
        static func text<Value: RawRepresentable<String>>(
            _ name: String, bytes: Int, _ field: WritableKeyPath<Row, Value> & Sendable, unknown: Value
        ) -> Column where Value: Sendable {
            Column(name: name, kind: .text(bytes: bytes), get: { .text($0[keyPath: field].rawValue) }) { row, cell in
                if case .text(let value) = cell { row[keyPath: field] = Value(rawValue: value) ?? unknown }
            }
        }

        func datatype() throws(HDF5Error) -> HDF5Datatype {
            switch kind {
            case .uint64: try .nativeUInt64()
            case .int64: try .nativeInt64()
            case .text(let bytes): try .fixedString(bytes: bytes)
            }
        }

        /// Elements of a Swift buffer per row: bytes for text, else one number.
        var elementsPerRow: Int {
            if case .text(let bytes) = kind { bytes } else { 1 }
        }
    }
}
