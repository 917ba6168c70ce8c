import MosquitoModel

/// The per-device tables: gaps, events and clock exchanges (read whole; they are small).
extension HDF5RecordingReader {
    public func gaps(device: Int) throws(RecordingError) -> [Gap] { try rows(RecordingLayout.gaps, device: device) }

    public func events(device: Int) throws(RecordingError) -> [RecordingEvent] {
        try rows(RecordingLayout.events, device: device)
    }

    public func clockExchanges(device: Int) throws(RecordingError) -> [ClockExchange] {
        try rows(RecordingLayout.clock, device: device)
    }

    private func rows<Row>(_ table: RecordingTable<Row>, device: Int) throws(RecordingError) -> [Row] {
        try reading { () throws(HDF5Error) in
            var cells: [[RecordingTable<Row>.Cell]] = []
            for column in table.columns {
                let path = table.path(column)
                switch column.kind {
                case .uint64:
                    cells.append(try readTable(device, path, zero: UInt64(0), type: column.datatype()).map { .uint64($0) })
                case .int64:
                    cells.append(try readTable(device, path, zero: Int64(0), type: column.datatype()).map { .int64($0) })
                case .text(let bytes):
                    cells.append(try readStrings(device, path, width: bytes).map { .text($0) })
                }
            }
            return table.rows(cells)
        }
    }
}
