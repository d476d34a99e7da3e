import Testing

@Test func placeholderBFTests() { #expect(true) }
