package ident

// Cross-checks between the identifiers of one enterprise. Each identifier
// is checked on its own by its scheme; these checks compare what the
// structures of several identifiers say about the same enterprise.

// Identifier is one identifier of an enterprise as CrossCheck reads it:
// a scheme name and a value that is valid under that scheme and in its
// normalised form (Scheme.Normalize).
type Identifier struct {
	// Scheme is the scheme name, such as RU-INN; empty to skip the entry.
	Scheme string
	// Value is the normalised, valid value.
	Value string
}

// Cross-check codes (Conflict.Code). The credit package reports them
// with the prefix IDENT_.
const (
	// CrossGSTINPAN: an IN-GSTIN whose characters 3 to 12 (the holder's
	// PAN) are not the IN-PAN the record gives.
	CrossGSTINPAN = "GSTIN_PAN_MISMATCH"
	// CrossEntityKind: identifiers issued to different kinds of holder,
	// such as a legal entity's 10-digit RU-INN or RU-OGRN together with an
	// individual's 12-digit RU-INN or RU-OGRNIP; a KZ-BIN of a legal entity
	// (entity-type digit 4 or 5) with a KZ-IIN; an IN-CIN (companies
	// only) with a PAN whose holder-type letter is not C; IR-NID (legal
	// entities) with IR-NC (individuals).
	CrossEntityKind = "ENTITY_KIND_CONFLICT"
	// CrossRegion: an organisation's RU-OGRN region (digits 4 and 5) is
	// not the region of its 10-digit RU-INN (digits 1 and 2). Both are
	// assigned where the organisation was registered, but an INN issued
	// before the OGRN (organisations registered before July 2002 were
	// entered in the state register later, possibly elsewhere) can differ,
	// so it is a warning.
	CrossRegion = "REGION_MISMATCH"
	// CrossSecondValue: two different values of a scheme of which an
	// enterprise has exactly one (every built-in scheme but RU-KPP, one per
	// place of tax registration, and IN-GSTIN, one per state).
	CrossSecondValue = "SECOND_VALUE"
)

// Conflict is one contradiction between identifiers, reported at the
// identifier Index (into the slice given to CrossCheck).
type Conflict struct {
	// Index is the position of the identifier at fault.
	Index int
	// Other is the position of the identifier it contradicts.
	Other int
	// Code is one of the Cross* codes.
	Code string
	// Warning is true when legitimate exceptions exist (CrossRegion), so
	// that the conflict should not reject the record.
	Warning bool
	// Detail says what contradicts what, without echoing the values.
	Detail string
}

// multiValue are the built-in schemes an enterprise may hold several
// different values of.
var multiValue = map[string]bool{SchemeKPP: true, SchemeGSTIN: true}

// CrossCheck compares the identifiers of one enterprise and returns the
// contradictions between them, in order of Index. Entries with an empty
// Scheme are skipped (give them for identifiers that failed validation,
// so that positions stay those of the record); schemes it does not know
// are ignored. It does not allocate when there is nothing to report.
func CrossCheck(ids []Identifier) []Conflict {
	var out []Conflict
	kindRef := -1 // first identifier whose kind of holder is known
	for i, id := range ids {
		if id.Scheme == "" {
			continue
		}
		for j := range i {
			if ids[j].Scheme == id.Scheme && ids[j].Value != id.Value && !multiValue[id.Scheme] {
				out = append(out, Conflict{Index: i, Other: j, Code: CrossSecondValue,
					Detail: "a second, different " + id.Scheme + "; an enterprise has one"})
				break
			}
		}
		if k := holderKind(id); k != "" {
			if kindRef < 0 {
				kindRef = i
			} else if rk := holderKind(ids[kindRef]); rk != k {
				out = append(out, Conflict{Index: i, Other: kindRef, Code: CrossEntityKind,
					Detail: id.Scheme + " identifies " + k + ", but " + ids[kindRef].Scheme + " identifies " + rk})
			}
		}
		for j := range ids {
			if c, ok := pairConflict(ids, i, j); ok {
				out = append(out, c)
			}
		}
	}
	return out
}

// pairConflict checks identifier i against identifier j for the
// conflicts reported at i: a GSTIN against a PAN, an OGRN against an INN.
func pairConflict(ids []Identifier, i, j int) (Conflict, bool) {
	a, b := ids[i], ids[j]
	switch {
	case a.Scheme == SchemeGSTIN && b.Scheme == SchemePAN && len(a.Value) == 15 && a.Value[2:12] != b.Value:
		return Conflict{Index: i, Other: j, Code: CrossGSTINPAN,
			Detail: "characters 3-12 of the GSTIN are the holder's PAN, and they differ from the IN-PAN given"}, true
	case a.Scheme == SchemeOGRN && b.Scheme == SchemeRUINN && len(a.Value) == 13 && len(b.Value) == 10 && a.Value[3:5] != b.Value[0:2]:
		return Conflict{Index: i, Other: j, Code: CrossRegion, Warning: true,
			Detail: "the OGRN's region (digits 4-5) is " + a.Value[3:5] + ", the INN's (digits 1-2) is " + b.Value[0:2]}, true
	}
	return Conflict{}, false
}

// Kinds of holder an identifier can be issued to.
const (
	kindLegal      = "a legal entity"
	kindIndividual = "an individual"
)

// holderKind returns the kind of holder the identifier is issued to, as
// its structure says; "" when the structure does not say (or the scheme
// is issued to several kinds).
func holderKind(id Identifier) string {
	v := id.Value
	switch id.Scheme {
	case SchemeRUINN:
		switch len(v) {
		case 10:
			return kindLegal
		case 12:
			return kindIndividual
		}
	case SchemeOGRN, SchemeKPP, SchemeIRNID:
		return kindLegal
	case SchemeOGRNIP, SchemeIIN, SchemeIRNC:
		return kindIndividual
	case SchemeBIN:
		if len(v) == 12 && (v[4] == '4' || v[4] == '5') {
			return kindLegal
		}
	case SchemeCIN:
		return panKind('C')
	case SchemePAN:
		if len(v) == 10 {
			return panKind(v[3])
		}
	case SchemeGSTIN:
		if len(v) == 15 {
			return panKind(v[5]) // the embedded PAN's fourth character
		}
	}
	return ""
}

// panKinds names the holder type of each possible fourth character of an
// Indian PAN, built once so that naming one does not allocate.
var panKinds = func() (k [256]string) {
	for c := 'A'; c <= 'Z'; c++ {
		k[c] = "PAN holder type " + string(c)
	}
	k['C'] = "a company (PAN holder type C)"
	k['P'] = kindIndividual + " (PAN holder type P)"
	return k
}()

// panKind names the holder type of an Indian PAN's fourth character; a
// company's CIN is reported as holder type C, since every company has a
// PAN of that type.
func panKind(c byte) string { return panKinds[c] }
