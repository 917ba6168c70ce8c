import NIOCore

/// One connection to a stream's TCP data port: reads the request, answers shortinfo/fullinfo, or negotiates a
/// stream feed, sends the header and the test patterns, and hands the socket to a feed session.
final class LSLDataPortHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let core: LSLOutletCore
    private var parser = LSLDataPortRequestParser()
    private var session: LSLFeedSession?
    private var answered = false

    init(core: LSLOutletCore) { self.core = core }

    func channelActive(context: ChannelHandlerContext) {
        guard core.connected(context.channel) else { return context.close(promise: nil) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Once a request is answered, whatever else the client sends is ignored, as liblsl does.
        guard !answered else { return }
        let bytes = unwrapInboundIn(data).readableBytesView
        switch parser.feed(bytes) {
        case .needMoreData:
            return
        case .garbage(let reason):
            answered = true
            core.log.warning("closed a data-port connection from \(peer(context)): \(reason)")
            context.close(promise: nil)
        case .request(let request):
            answered = true
            answer(request, context: context)
        }
    }

    private func answer(_ request: LSLDataPortRequest, context: ChannelHandlerContext) {
        guard let published = core.published else { return context.close(promise: nil) }
        switch request {
        case .shortinfo(let query):
            // A query that does not match gets no answer, only the closed connection.
            if published.matches(query, log: core.log) { send(published.shortinfo, thenClose: true, context: context) }
            else { context.close(promise: nil) }
        case .fullinfo:
            send(published.fullinfo, thenClose: true, context: context)
        case .unsupported(let what):
            core.log.warning("closed a data-port connection from \(peer(context)): it sent \(what)")
            context.close(promise: nil)
        case .streamfeed(let feed):
            switch LSLStreamFeedReply.negotiate(feed, info: published.info) {
            case .refuse(let status, let reason):
                core.log.warning("refused a stream feed to \(peer(context)): \(reason)")
                send(status, thenClose: true, context: context)
            case .accept(let header, let maxBuffered, _):
                var out = context.channel.allocator.buffer(string: header)
                for pattern in LSLTestPattern.patterns {
                    let values = LSLTestPattern.values(pattern, format: published.info.channelFormat, channels: published.info.channelCount)
                    LSLSampleEncoder.write(stamp: LSLTestPattern.timestamp, sample: 0, of: values, channels: published.info.channelCount, into: &out)
                }
                guard maxBuffered > 0 else { return send(out, thenClose: true, context: context) }
                session = core.startFeed(channel: context.channel, hostname: feed.headers["hostname"] ?? "", requestedBuffer: maxBuffered)
                context.writeAndFlush(wrapOutboundOut(out), promise: nil)
            }
        }
    }

    private func send(_ text: String, thenClose: Bool, context: ChannelHandlerContext) {
        send(context.channel.allocator.buffer(string: text), thenClose: thenClose, context: context)
    }

    private func send(_ bytes: ByteBuffer, thenClose: Bool, context: ChannelHandlerContext) {
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(bytes)).whenComplete { _ in
            if thenClose { channel.close(promise: nil) }
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if let session, context.channel.isWritable { core.writable(session) }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        core.disconnected(context.channel)
        if let session { core.endFeed(session) }
        session = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A reset by the inlet is how most feeds end; nothing to report beyond the closed feed itself.
        context.close(promise: nil)
    }

    private func peer(_ context: ChannelHandlerContext) -> String {
        context.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "an unknown peer"
    }
}
