/// What it takes to put a file back exactly as it was at its last commit: the length it had then, and the
/// bytes it had then wherever they have been overwritten since. Bytes past that length are simply cut off.
///
/// Pure bookkeeping; `RollbackFile` does the reading and writing.
struct UndoLog {
    private(set) var committedLength: UInt64
    /// The committed content of every range overwritten since the commit: sorted by offset, never overlapping,
    /// each saved once (the first overwrite is the one that destroys committed bytes).
    private(set) var saved: [(offset: UInt64, bytes: [UInt8])] = []

    init(committedLength: UInt64) { self.committedLength = committedLength }

    /// The parts of `range` that hold committed bytes not saved yet: read them before overwriting `range`.
    func unsaved(_ range: Range<UInt64>) -> [Range<UInt64>] {
        let end = min(range.upperBound, committedLength)
        guard range.lowerBound < end else { return [] }
        var missing: [Range<UInt64>] = []
        var cursor = range.lowerBound
        for entry in saved {
            let entryEnd = entry.offset + UInt64(entry.bytes.count)
            if entryEnd <= cursor { continue }
            if entry.offset >= end { break }
            if entry.offset > cursor { missing.append(cursor ..< entry.offset) }
            cursor = max(cursor, entryEnd)
            if cursor >= end { break }
        }
        if cursor < end { missing.append(cursor ..< end) }
        return missing
    }

    /// Records committed `bytes` at `offset`, a range `unsaved` returned.
    mutating func save(_ bytes: [UInt8], at offset: UInt64) {
        let position = saved.firstIndex { $0.offset > offset } ?? saved.endIndex
        saved.insert((offset, bytes), at: position)
    }

    /// The file as it is now becomes the state a rollback returns to.
    mutating func commit(length: UInt64) {
        committedLength = length
        saved.removeAll()
    }
}
