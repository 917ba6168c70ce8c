/// Reading and writing the distribution chain's columns (see DistributionChain for what a hash covers).
extension SQLLedgerStore {
    /// A distribution as stored, with the chain columns verification checks.
    struct StoredLink {
        var link: DistributionChain.Link
        var previousHash: String?
        var hash: String?
    }

    static let linkRows = RowSource("distributions", "sale, position, events_seq, events_hash, sale_digest, previous_hash, hash", key: "sale")

    /// Every distribution in chain order (rows without a position, which only tampering makes, first).
    static func storedLinks(_ s: any SQLSession) async throws(LedgerError) -> [StoredLink] {
        var links = [StoredLink]()
        for row in try await s.query("SELECT \(linkRows.list) FROM distributions ORDER BY COALESCE(position, 0), sale", []) {
            var r = RowReader(row, linkRows)
            let sale = try r.int()
            let position = try r.optionalInt() ?? 0, eventsSeq = try r.optionalInt(), eventsHash = try r.optionalText()
            let saleDigest = try r.optionalText() ?? "", previousHash = try r.optionalText(), hash = try r.optionalText()
            guard let distribution = try await Self.distribution(sale, s) else { continue }
            links.append(StoredLink(
                link: DistributionChain.Link(position: position, saleDigest: saleDigest, distribution: distribution,
                                             lines: try await numberedLines(sale, s),
                                             eventsSeq: eventsSeq, eventsHash: eventsHash),
                previousHash: previousHash, hash: hash))
        }
        return links
    }

    static func numberedLines(_ sale: Int64, _ s: any SQLSession) async throws(LedgerError)
        -> [(number: Int64, line: DistributionLine)] {
        var lines = [(number: Int64, line: DistributionLine)]()
        for row in try await s.query("SELECT \(Rows.lines.list) FROM distribution_lines WHERE sale = ? ORDER BY line",
                                     [.integer(sale)]) {
            lines.append(try Rows.line(row))
        }
        return lines
    }

    static func distributionHead(_ s: any SQLSession) async throws(LedgerError) -> (position: Int64, hash: String)? {
        let source = RowSource("distribution_head", "id, position, hash", key: "id")
        guard let row = try await s.query("SELECT \(source.list) FROM distribution_head WHERE id = 1", []).first else {
            return nil
        }
        var r = RowReader(row, source)
        _ = try r.int()
        let position = try r.int(), hash = try r.text()
        guard position < Int64.max else { throw r.tampered(column: "position", "no distribution can follow it") }
        return (position, hash)
    }

    /// Sets the chain columns of a stored distribution and moves the head to it.
    static func chain(_ link: DistributionChain.Link, previous: String, _ s: any SQLSession) async throws(LedgerError) {
        let hash = DistributionChain.hash(link, previous: previous)
        try await s.execute(
            "UPDATE distributions SET position = ?, events_seq = ?, events_hash = ?, sale_digest = ?, previous_hash = ?, hash = ? WHERE sale = ?",
            [.integer(link.position), SQLValue(link.eventsSeq), SQLValue(link.eventsHash), .text(link.saleDigest),
             .text(previous), .text(hash), .integer(link.distribution.sale)])
        try await s.execute("DELETE FROM distribution_head WHERE id = 1", [])
        try await s.execute("INSERT INTO distribution_head (id, position, hash) VALUES (1, ?, ?)",
                            [.integer(link.position), .text(hash)])
    }

    /// Appends a just-stored distribution to the chain, citing the event chain's current head.
    static func chainNewDistribution(_ sale: Sale, _ s: any SQLSession) async throws(LedgerError) {
        let head = try await distributionHead(s)
        let (eventsSeq, eventsHash) = try await eventsHead(s)
        guard let distribution = try await Self.distribution(sale.id, s) else {
            throw .storage("distribution of sale \(sale.id) vanished while being chained")
        }
        let link = DistributionChain.Link(
            position: (head?.position ?? 0) + 1, saleDigest: DistributionChain.saleDigest(sale),
            distribution: distribution, lines: try await numberedLines(sale.id, s),
            eventsSeq: eventsSeq, eventsHash: eventsHash)
        try await chain(link, previous: head?.hash ?? DistributionChain.genesis, s)
    }

    /// Migration 2: chains the distributions made before the chain existed, as found, in sale order.
    /// Their event-chain head was not recorded, so verification cannot recompute them.
    static func chainExistingDistributions(_ s: any SQLSession) async throws(LedgerError) {
        var previous = DistributionChain.genesis
        for (index, row) in try await s.query("SELECT sale FROM distributions ORDER BY sale", []).enumerated() {
            var r = RowReader(row, RowSource("distributions", "sale", key: "sale"))
            let saleID = try r.int()
            // Read with the columns a ledger had then: migration 5 adds `quantity` later in the same opening.
            let saleRow = try await s.query("SELECT \(Rows.salesBeforeLots.list) FROM sales WHERE id = ?", [.integer(saleID)]).first
            guard let sale = try saleRow.map({ row throws(LedgerError) in try Rows.sale(row, from: Rows.salesBeforeLots) }),
                  let distribution = try await Self.distribution(saleID, s) else {
                throw .storage("a distribution has no sale; the ledger cannot be migrated")
            }
            let link = DistributionChain.Link(
                position: Int64(index + 1), saleDigest: DistributionChain.saleDigest(sale), distribution: distribution,
                lines: try await numberedLines(saleID, s), eventsSeq: nil, eventsHash: nil)
            try await chain(link, previous: previous, s)
            previous = DistributionChain.hash(link, previous: previous)
        }
    }
}
