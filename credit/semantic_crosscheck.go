package credit

import (
	"strconv"

	"github.com/creditsco/creditsco/credit/ident"
)

// crossCheck reports the contradictions between the record's valid
// identifiers (credit/ident.CrossCheck), each at the value of the
// identifier at fault, under its IDENT_ code: an error, or a warning
// where legitimate exceptions exist.
func (c *semanticChecker) crossCheck(ids []ident.Identifier) {
	for _, x := range ident.CrossCheck(ids) {
		sev := SeverityError
		if x.Warning {
			sev = SeverityWarning
		}
		c.add("/enterprise/identifiers/"+strconv.Itoa(x.Index)+"/value", "IDENT_"+x.Code, sev,
			"%s (see /enterprise/identifiers/%d)", x.Detail, x.Other)
	}
}
