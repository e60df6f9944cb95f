// The framework's FormattableString.Invariant formats numbers culture-independently in messages and reports.
global using static System.FormattableString;
