import Crypto
import Foundation

/// Sales' distributions form a second hash chain, beside the events': each distribution commits to the
/// one before it, to its sale, to every line and claim payment, to its equation snapshot and to the head
/// of the event chain when it was computed. Pure: hashing only, no I/O.
enum DistributionChain {
    static let genesis = HashChain.genesis

    /// What one distribution's hash covers, as stored.
    struct Link {
        var position: Int64
        var saleDigest: String
        var distribution: Distribution
        /// (line number, line), in line order.
        var lines: [(number: Int64, line: DistributionLine)]
        /// nil for distributions written before the chain existed (their inputs were not recorded).
        var eventsSeq: Int64?
        var eventsHash: String?
    }

    static func saleDigest(_ sale: Sale) -> String {
        var fields = [String(sale.id), sale.project, sale.unit, String(sale.price), sale.currency.code, sale.date.text,
                      sale.buyer, String(sale.directCosts)]
        // A unit's one-line sale has neither and keeps the digest it had before lots and lines existed.
        if let quantity = sale.quantity { fields += ["quantity", String(quantity)] }
        if let lines = sale.lines {
            fields += ["lines", String(lines.count)]
            for line in lines { fields += [line.unit, line.quantity.map { String($0) } ?? "", String(line.price)] }
        }
        return digest(fields)
    }

    static func hash(_ link: Link, previous: String) -> String {
        let d = link.distribution
        var fields = [previous, String(link.position), link.saleDigest, String(d.sale), d.project, d.currency.code,
                      String(d.distributable), String(d.equationVersion), digest([d.equationSnapshot]),
                      link.eventsSeq.map(String.init) ?? "", link.eventsHash ?? "",
                      "lines", String(link.lines.count)]
        for (number, line) in link.lines {
            // A bucket is never empty, so "" stands unambiguously for the network fund's line.
            fields += [String(number), line.bucket ?? "", line.agent, String(line.amount)]
        }
        fields += ["payments", String(d.payments.count)]
        for payment in d.payments.sorted(by: { ($0.bucket, $0.event) < ($1.bucket, $1.event) }) {
            fields += [payment.bucket, String(payment.event), payment.agent, String(payment.amount)]
        }
        return digest(fields)
    }

    /// SHA-256 of the fields joined by the unit separator, as lowercase hex (as the event chain does).
    static func digest(_ fields: [String]) -> String {
        SHA256.hash(data: Data(fields.joined(separator: "\u{1F}").utf8)).lowercaseHex
    }
}
