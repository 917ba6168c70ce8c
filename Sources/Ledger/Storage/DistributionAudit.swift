import Foundation

/// Verifies the distribution chain and replays every distribution with the engine. Pure: everything
/// it reads is loaded first (by `SQLLedgerStore.verifyChain`), so the checks are plain value code.
///
/// The chain alone catches edits by someone who does not recompute hashes; the replay catches one who
/// does, unless they also rewrite the event chain (which `HashChain.verify` then reports).
struct DistributionAudit {
    var links: [SQLLedgerStore.StoredLink]
    var head: (position: Int64, hash: String)?
    var sales: [Int64: Sale]
    var projects: [String: Project]
    /// Every event, in sequence order (the event chain is verified before this runs).
    var events: [ContributionEvent]
    /// What each distributed sale sold, line by line (lineages, lot shares), by sale id.
    var products: [Int64: [ProductLine]]
    /// The claims as found when the chain was introduced (empty for ledgers created with it).
    var baseline: [Claim]
    /// The claims table as stored now.
    var claims: [Claim]

    /// The first problem, or nil when every distribution and claim checks out.
    func firstProblem() -> String? {
        var previous = DistributionChain.genesis
        var replayed = [String: [ClaimKey: Claim]]()
        for claim in baseline { replayed[claim.project, default: [:]][ClaimKey(bucket: claim.bucket, event: claim.event)] = claim }
        let eventHashes = Dictionary(events.map { ($0.id, $0.hash) }, uniquingKeysWith: { first, _ in first })

        for (index, stored) in links.enumerated() {
            let link = stored.link, saleID = link.distribution.sale
            let expected = Int64(index + 1)
            guard link.position == expected else {
                if link.position < expected {
                    return "distribution of sale \(saleID) has no valid chain position (\(link.position))"
                }
                return "distribution #\(expected) is missing (row deleted); next row is #\(link.position) (sale \(saleID))"
            }
            guard stored.previousHash == previous else {
                let place = expected == 1 ? "is not the first distribution" : "does not follow distribution #\(expected - 1)"
                return "distribution #\(expected) (sale \(saleID)) \(place) (rows reordered or replaced)"
            }
            guard let sale = sales[saleID] else { return "sale \(saleID) is missing" }
            guard DistributionChain.saleDigest(sale) == link.saleDigest else {
                return "sale \(saleID) was edited (it no longer matches its distribution)"
            }
            var recomputed: DistributionPlan?
            if let eventsSeq = link.eventsSeq {
                guard eventsSeq == 0 || eventHashes[eventsSeq] == link.eventsHash else {
                    return "distribution of sale \(saleID) cites event \(eventsSeq), which is not in the event chain as it was"
                }
                do throws(LedgerError) {
                    recomputed = try replay(sale: sale, link: link, eventsSeq: eventsSeq,
                                            claims: replayed[link.distribution.project] ?? [:])
                } catch {
                    return "sale \(saleID) cannot be recomputed: \(error.description)"
                }
            }
            guard DistributionChain.hash(link, previous: previous) == stored.hash else {
                if let recomputed, let difference = Self.difference(link, recomputed.distribution) { return difference }
                return "distribution of sale \(saleID) was edited (hash mismatch)"
            }
            if let recomputed {
                if let difference = Self.difference(link, recomputed.distribution) {
                    return "recomputing from the events: \(difference)"
                }
                for claim in recomputed.claims {
                    replayed[claim.project, default: [:]][ClaimKey(bucket: claim.bucket, event: claim.event)] = claim
                }
            }
            previous = stored.hash ?? ""
        }

        if let head {
            guard let last = links.last else { return "distribution #\(head.position) is missing (every distribution was deleted)" }
            if head.position > last.link.position {
                return "distribution #\(last.link.position + 1) is missing (the newest rows were deleted)"
            }
            guard head.position == last.link.position, head.hash == last.hash else {
                return "the distribution chain head is not the last distribution (#\(last.link.position), sale \(last.link.distribution.sale))"
            }
        } else if let first = links.first {
            return "the distribution chain head is missing (chain starts at sale \(first.link.distribution.sale))"
        }
        return claimsProblem(replayed)
    }

    /// Recomputes one distribution from the sale, the events it could see and its equation snapshot.
    func replay(sale: Sale, link: DistributionChain.Link, eventsSeq: Int64,
                claims: [ClaimKey: Claim]) throws(LedgerError) -> DistributionPlan {
        let d = link.distribution
        guard let project = projects[d.project] else { throw .notFound("no project '\(d.project)'") }
        let equation = try ValueEquation.load(json: Data(d.equationSnapshot.utf8))
        let input = DistributionInput(
            sale: sale, project: project, equation: equation, lineage: [], products: products[sale.id],
            events: events.filter { $0.project == d.project && $0.id <= eventsSeq }, claims: claims)
        return try DistributionEngine.plan(input)
    }

    /// Names the first stored row that differs from the recomputed distribution.
    static func difference(_ link: DistributionChain.Link, _ recomputed: Distribution) -> String? {
        let stored = link.distribution, sale = stored.sale
        if stored.distributable != recomputed.distributable {
            return "distribution of sale \(sale) was edited: distributable \(stored.distributable), recomputed \(recomputed.distributable)"
        }
        if stored.equationVersion != recomputed.equationVersion || stored.equationSnapshot != recomputed.equationSnapshot {
            return "distribution of sale \(sale) was edited: its equation version or snapshot changed"
        }
        for index in 0..<max(link.lines.count, recomputed.lines.count) {
            let expected = index < recomputed.lines.count ? recomputed.lines[index] : nil
            guard index < link.lines.count else {
                return "distribution line \(index + 1) of sale \(sale) is missing (recomputed \(describe(expected!)))"
            }
            let (number, line) = link.lines[index]
            guard let expected else {
                return "distribution line \(number) of sale \(sale) was added (\(describe(line)))"
            }
            if number != Int64(index + 1) || line != expected {
                return "distribution line \(number) of sale \(sale) was edited: stored \(describe(line)), recomputed \(describe(expected))"
            }
        }
        for index in 0..<max(stored.payments.count, recomputed.payments.count) {
            let expected = index < recomputed.payments.count ? recomputed.payments[index] : nil
            guard index < stored.payments.count else {
                return "claim payment \(describe(expected!)) of sale \(sale) is missing"
            }
            let payment = stored.payments[index]
            guard let expected else { return "claim payment \(describe(payment)) of sale \(sale) was added" }
            if payment != expected {
                if (payment.bucket, payment.event) > (expected.bucket, expected.event) {
                    return "claim payment \(describe(expected)) of sale \(sale) is missing"
                }
                if (payment.bucket, payment.event) < (expected.bucket, expected.event) {
                    return "claim payment \(describe(payment)) of sale \(sale) was added"
                }
                return "claim payment (bucket \(payment.bucket), event \(payment.event)) of sale \(sale) was edited: stored \(payment.agent) \(payment.amount), recomputed \(expected.agent) \(expected.amount)"
            }
        }
        return nil
    }

    /// The claims table must be exactly what the replay left (claims steer every later distribution).
    func claimsProblem(_ replayed: [String: [ClaimKey: Claim]]) -> String? {
        var remaining = replayed
        for claim in claims.sorted(by: { ($0.project, $0.bucket, $0.event) < ($1.project, $1.bucket, $1.event) }) {
            let key = ClaimKey(bucket: claim.bucket, event: claim.event)
            let name = "claim (project \(claim.project), bucket \(claim.bucket), event \(claim.event))"
            guard let expected = remaining[claim.project]?.removeValue(forKey: key) else {
                return "\(name) was added (no distribution created it)"
            }
            if claim != expected {
                return "\(name) was edited: stored balance \(claim.balance) paid \(claim.paid), recomputed balance \(expected.balance) paid \(expected.paid)"
            }
        }
        let missing = remaining.flatMap { $0.value.values }
            .sorted { ($0.project, $0.bucket, $0.event) < ($1.project, $1.bucket, $1.event) }
        if let claim = missing.first {
            return "claim (project \(claim.project), bucket \(claim.bucket), event \(claim.event)) is missing"
        }
        return nil
    }

    static func describe(_ line: DistributionLine) -> String { "\(line.bucket ?? "fund") \(line.agent) \(line.amount)" }
    static func describe(_ payment: ClaimPayment) -> String {
        "(bucket \(payment.bucket), event \(payment.event), \(payment.agent) \(payment.amount))"
    }
}
