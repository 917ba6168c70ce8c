import CHDF5

/// A `RecordingTable`'s datasets in one device's group, appended a row at a time.
final class AppendableTable<Row> {
    private let table: RecordingTable<Row>
    /// One per column, in the table's order.
    private let datasets: [Dataset]

    /// A class around a column, which is `~Copyable`, so that the columns can sit in an array.
    private final class Dataset {
        var column: AppendableColumn
        init(_ column: consuming AppendableColumn) { self.column = column }
    }

    init(_ table: RecordingTable<Row>, in group: hid_t, deflateLevel: UInt32?) throws(HDF5Error) {
        self.table = table
        _ = try HDF5Group(creating: table.group, in: group)
        var datasets: [Dataset] = []
        for column in table.columns {
            let spec = AppendableColumn.Spec(name: table.path(column), elementsPerRow: column.elementsPerRow,
                                             chunkRows: ChunkPlan.tableChunkRows, deflateLevel: deflateLevel,
                                             cacheBytes: 1 << 16)
            datasets.append(Dataset(try AppendableColumn(spec, in: group, type: try column.datatype())))
        }
        self.datasets = datasets
    }

    /// The key column last (see `RecordingTable.columns`).
    func append(_ row: Row) throws(HDF5Error) {
        for (column, dataset) in zip(table.columns, datasets).reversed() {
            switch column.get(row) {
            case .uint64(let value): try dataset.column.append([value])
            case .int64(let value): try dataset.column.append([value])
            case .text(let text): try dataset.column.append(VariableStrings.fixedWidth([text], width: column.elementsPerRow))
            }
        }
    }
}
