/// How a gathered event is paid back.
public enum ClaimRule: String, Sendable, Codable, CaseIterable {
    /// Paid until its value is exhausted (parts, expenses, cash).
    case debt
    /// Paid on every sale, weighted by its original value (design work).
    case equity
    /// Paid by the first distribution that pays it at least one minor unit.
    case once

    public init(from decoder: any Decoder) throws { self = try decodeChoice(decoder, "claim rule") }
}

/// A claim held by an agent because a bucket gathered one of their events.
/// Identified by (project, bucket, event).
public struct Claim: Sendable, Hashable, Codable {
    public var project: String
    public var bucket: String
    public var event: Int64
    public var agent: String
    public var rule: ClaimRule
    public var original: Int64
    /// Outstanding: for debt what is still owed; for once the value until paid, then 0;
    /// for equity always the original value.
    public var balance: Int64
    public var paid: Int64

    public init(project: String, bucket: String, event: Int64, agent: String, rule: ClaimRule, original: Int64,
                balance: Int64, paid: Int64) {
        self.project = project; self.bucket = bucket; self.event = event; self.agent = agent; self.rule = rule
        self.original = original; self.balance = balance; self.paid = paid
    }

    public var isLive: Bool { balance > 0 }
}

/// One payment in a distribution: per recipient per bucket (bucket nil = network fund). Only the engine and the
/// store make one, so its memberwise init is internal.
public struct DistributionLine: Sendable, Hashable, Codable {
    public var bucket: String?
    public var agent: String
    public var amount: Int64
}

/// Per-claim payment, kept so reports can say which event earned what.
public struct ClaimPayment: Sendable, Hashable, Codable {
    public var bucket: String
    public var event: Int64
    public var agent: String
    public var amount: Int64
}

/// A sale's distribution: the lines, the claim payments and the equation snapshot it used.
public struct Distribution: Sendable, Hashable, Codable {
    public var sale: Int64
    public var project: String
    public var currency: Currency
    public var distributable: Int64
    public var equationVersion: Int64
    public var equationSnapshot: String
    public var lines: [DistributionLine]
    public var payments: [ClaimPayment]
}
