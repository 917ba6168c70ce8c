import NIOCore

/// A stream's UDP service port: shortinfo queries (for resolvers that ask each port of a known peer) and
/// time-correction probes (each inlet's time_correction()).
final class LSLServiceHandler: LSLDatagramHandler {
    private let core: LSLOutletCore

    init(core: LSLOutletCore) { self.core = core }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // The receipt time comes first, so the reply's t1 is as close to arrival as this thread can see it.
        let t1 = LSLClock.now()
        let envelope = unwrapInboundIn(data)
        guard let published = core.published else { return }
        switch LSLDatagramRequest.parse(envelope.data.readableBytesView) {
        case .success(.shortinfo(let query, let returnPort, let queryID)):
            guard published.matches(query, log: core.log) else { return }
            var to = envelope.remoteAddress
            to.port = returnPort
            reply(LSLDatagramRequest.shortinfoReply(queryID: queryID, shortinfo: published.shortinfo), to: to, context: context)
        case .success(.timedata(let wave, let t0)):
            let text = LSLDatagramRequest.timedataReply(waveID: wave, t0: t0, t1: t1, t2: LSLClock.now())
            reply(text, to: envelope.remoteAddress, context: context)
        case .failure:
            return
        }
    }

    private func reply(_ text: String, to address: SocketAddress, context: ChannelHandlerContext) {
        write(text, to: address, context: context)
        context.flush()
    }
}
