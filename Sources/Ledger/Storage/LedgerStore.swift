/// Everything the ledger persists. One protocol, implemented once over the SQL seam
/// (`SQLLedgerStore`) for both SQLite and PostgreSQL, so one test suite covers both.
public protocol LedgerStore: Sendable {
    func insert(_ agent: Agent) async throws(LedgerError)
    func agent(_ id: String) async throws(LedgerError) -> Agent?
    func agents() async throws(LedgerError) -> [Agent]

    func insert(_ project: Project) async throws(LedgerError)
    func project(_ id: String) async throws(LedgerError) -> Project?
    func setWorkType(_ workType: WorkType) async throws(LedgerError)
    func workType(project: String, name: String) async throws(LedgerError) -> WorkType?
    func setRateOverride(project: String, workType: String, agent: String, rate: LedgerDecimal) async throws(LedgerError)
    func rateOverride(project: String, workType: String, agent: String) async throws(LedgerError) -> LedgerDecimal?

    func insert(_ design: Design) async throws(LedgerError)
    func design(_ id: String) async throws(LedgerError) -> Design?
    func insert(_ unit: Unit) async throws(LedgerError)
    func unit(_ serial: String) async throws(LedgerError) -> Unit?

    /// Registers a lot: a row in `units` (its id and design) and one in `lots`, in one transaction.
    func insert(_ lot: Lot) async throws(LedgerError)
    func lot(_ id: String) async throws(LedgerError) -> Lot?
    /// Every lot, by id.
    func lots() async throws(LedgerError) -> [Lot]
    /// The lot with what its sales not reversed and its write-offs took from it; nil when there is no such lot.
    func lotStock(_ id: String) async throws(LedgerError) -> LotStock?
    func writeOffs(lot: String) async throws(LedgerError) -> [LotWriteOff]
    /// Closes `quantity` of a lot for sale; refuses more than it still holds (checked in the insert's transaction).
    func insertWriteOff(lot: String, quantity: Int64, date: LedgerDate, reason: String) async throws(LedgerError) -> LotWriteOff

    /// Appends to the hash chain atomically and returns the stored event; refuses a record whose source
    /// reference an event already holds (`LedgerError.alreadyCredited`, looked up in the append's transaction).
    func append(_ record: EventRecord) async throws(LedgerError) -> ContributionEvent
    /// Appends every record in one transaction, in order (an import, a benchmark's fixture); all or none.
    func append(_ records: [EventRecord]) async throws(LedgerError) -> [ContributionEvent]
    func event(_ id: Int64) async throws(LedgerError) -> ContributionEvent?
    /// The event holding `reference` as its source reference, if one does.
    func event(sourceReference reference: String) async throws(LedgerError) -> ContributionEvent?
    /// All events in sequence order (project nil = every project).
    func events(project: String?) async throws(LedgerError) -> [ContributionEvent]
    /// Checks the event chain, then the distribution chain, and recomputes every distribution from the
    /// events; names the first bad row (see docs/ledger.md "Sales and distributions").
    func verifyChain() async throws(LedgerError) -> ChainReport

    /// Records a sale; refuses a unit that already has a sale not reversed, and more of a lot than it holds
    /// (checked in the insert's transaction).
    func insert(_ sale: SaleDraft) async throws(LedgerError) -> Sale
    func sale(_ id: Int64) async throws(LedgerError) -> Sale?
    func sales(project: String?) async throws(LedgerError) -> [Sale]
    /// Appends a sale's reversal: its unit can be sold again, and if not yet distributed it never will be.
    func insertReversal(sale: Int64, date: LedgerDate, note: String?) async throws(LedgerError) -> SaleReversal
    func saleReversal(sale: Int64) async throws(LedgerError) -> SaleReversal?

    func insertEquation(_ equation: ValueEquation) async throws(LedgerError)
    func latestEquation(project: String) async throws(LedgerError) -> ValueEquation?

    func claims(project: String) async throws(LedgerError) -> [Claim]
    func distribution(sale: Int64) async throws(LedgerError) -> Distribution?
    func distributions(project: String?) async throws(LedgerError) -> [Distribution]

    /// In one transaction: refuses an already distributed sale, loads the inputs, runs `compute`
    /// and (unless `dryRun`) stores the distribution and claims. Nothing is written on any error.
    func distribute(sale: Int64, dryRun: Bool,
                    compute: @Sendable (DistributionInput) throws(LedgerError) -> DistributionPlan)
        async throws(LedgerError) -> DistributionPlan

    func close() async
}
