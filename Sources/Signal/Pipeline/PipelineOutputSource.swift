extension PipelineOutput {
    /// The unfiltered raw values of the input frame output frame `k` was taken at: what a recording stores
    /// beside the processed values, so every row can be traced to the ADC counts it came from.
    public func sourceRawValues(ofFrame k: Int) -> UnsafeBufferPointer<Int32> {
        source.values(ofFrame: firstSourceOffset + k * sourceStride)
    }
}
