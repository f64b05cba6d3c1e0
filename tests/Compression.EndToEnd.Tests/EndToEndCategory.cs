// Every test here runs the built host, dotnet or a packed package as a process: minutes, not seconds.
// The trait lets the fast unit tests run on their own (dotnet test --filter "Category!=EndToEnd")
// and CI run these as a step of their own (.ci/run).
[assembly: AssemblyTrait("Category", "EndToEnd")]
