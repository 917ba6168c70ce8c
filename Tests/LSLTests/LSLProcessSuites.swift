import Testing

/// The suites that run LSL peers and `mosquito` processes on this host, one test at a time: a unicast discovery
/// datagram to 127.0.0.1:16571 reaches only one of the processes sharing that port, and a test that asks over
/// loopback must not have its answer taken by another test's process. (`.serialized` reaches the nested suites.)
@Suite(.serialized) enum LSLProcessSuites {}
