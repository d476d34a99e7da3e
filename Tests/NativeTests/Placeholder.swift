import Testing

@Test func placeholderNativeTests() { #expect(true) }
