package credit

// indicators is the fixed table of indicators, by id. Rule sets refer to
// these ids. It is never modified. Indicators of the latest statement are
// wrapped in needStatement, which makes them missing (NO_STATEMENT) when
// there is none.
var indicators = func() map[string]indicatorDef {
	defs := []indicatorDef{
		{IndicatorInfo{ID: "fin.ems", Scale: 4, Description: "Altman Emerging Market Score of the latest statement"}, needStatement(finEMS)},
		{IndicatorInfo{ID: "fin.equity_ratio", Scale: 4, Description: "Equity / total assets"}, needStatement(finEquityRatio)},
		{IndicatorInfo{ID: "fin.current_ratio", Scale: 4, Description: "Current assets / current liabilities"}, needStatement(finCurrentRatio)},
		{IndicatorInfo{ID: "fin.roa", Scale: 4, Description: "Annualised net income / total assets"}, needStatement(finROA)},
		{IndicatorInfo{ID: "fin.ebit_margin", Scale: 4, Description: "EBIT / revenue"}, needStatement(finEBITMargin)},
		{IndicatorInfo{ID: "fin.interest_coverage", Scale: 4, Description: "EBIT / interest expense"}, needStatement(finInterestCoverage)},
		{IndicatorInfo{ID: "fin.ocf_to_liabilities", Scale: 4, Description: "Annualised operating cash flow / total liabilities"}, needStatement(finOCFToLiabilities)},
		{IndicatorInfo{ID: "fin.retained_earnings_to_assets", Scale: 4, Description: "Retained earnings / total assets"}, needStatement(finRetainedEarningsToAssets)},
		{IndicatorInfo{ID: "fin.liabilities_to_assets", Scale: 4, Description: "Total liabilities / total assets"}, needStatement(finLiabilitiesToAssets)},
		{IndicatorInfo{ID: "fin.ocf_to_current_liabilities", Scale: 4, Description: "Annualised operating cash flow / current liabilities"}, needStatement(finOCFToCurrentLiabilities)},
		{IndicatorInfo{ID: "fin.revenue_growth_real", Scale: 4, Description: "Real year-on-year revenue growth"}, needStatement(finRevenueGrowthReal)},
		{IndicatorInfo{ID: "fin.loss_years_3y", Scale: 0, Description: "Loss-making full years among the last three"}, finLossYears3y},
		{IndicatorInfo{ID: "fin.size_usd", Scale: 0, Description: "Total assets in US dollars"}, needStatement(finSizeUSD)},
		{IndicatorInfo{ID: "fin.statement_age_months", Scale: 0, Description: "Months from the latest statement's period end to as_of"}, needStatement(finStatementAgeMonths)},
		{IndicatorInfo{ID: "fin.audited", Kind: Categorical, Categories: []string{"true", "false"}, Description: "Whether the latest statement is audited"}, needStatement(finAudited)},

		{IndicatorInfo{ID: "pay.on_time_share", Scale: 4, Description: "Amount-weighted share of payments paid within the grace days"}, payOnTimeShare},
		{IndicatorInfo{ID: "pay.max_dpd_12m", Scale: 0, Description: "Maximum days past due, payments due in the last 12 months"}, payMaxDPD(12)},
		{IndicatorInfo{ID: "pay.max_dpd_24m", Scale: 0, Description: "Maximum days past due, payments due in the last 24 months"}, payMaxDPD(24)},
		{IndicatorInfo{ID: "pay.dpd90_count_24m", Scale: 0, Description: "Payments 90+ days past due in the last 24 months"}, payDPD90Count24m},
		{IndicatorInfo{ID: "pay.open_overdue_to_revenue", Scale: 4, Description: "Open overdue amounts / annualised revenue"}, payOpenOverdueToRevenue},
		{IndicatorInfo{ID: "pay.written_off_count_36m", Scale: 0, Description: "Written-off payments in the last 36 months"}, payWrittenOffCount36m},

		{IndicatorInfo{ID: "pub.tax_arrears_open", Scale: 0, Description: "Open tax arrears"}, pubOpen(PublicTaxArrears)},
		{IndicatorInfo{ID: "pub.judgments_36m", Scale: 0, Description: "Court judgments in the last 36 months"}, pubInWindow(PublicCourtJudgment, 36)},
		{IndicatorInfo{ID: "pub.enforcement_open", Scale: 0, Description: "Open enforcement proceedings"}, pubOpen(PublicEnforcement)},
		{IndicatorInfo{ID: "pub.penalties_24m", Scale: 0, Description: "Administrative penalties in the last 24 months"}, pubInWindow(PublicAdministrativePenalty, 24)},
		{IndicatorInfo{ID: "pub.dishonest_debtor_open", Scale: 0, Description: "Open dishonest-debtor listings"}, pubOpen(PublicDishonestDebtor)},
		{IndicatorInfo{ID: "pub.abnormal_operations_open", Scale: 0, Description: "Open abnormal-operations listings"}, pubOpen(PublicAbnormalOperations)},
		{IndicatorInfo{ID: "pub.sanction", Kind: Categorical, Categories: []string{"none", "past", "active"}, Description: "Sanctions: none, past (resolved) or active"}, pubSanction},
		{IndicatorInfo{ID: "pub.bankruptcy_filing_open", Scale: 0, Description: "Open bankruptcy filings"}, pubOpen(PublicBankruptcyFiling)},

		{IndicatorInfo{ID: "ops.age_years", Scale: 2, Description: "Years since registration"}, opsAgeYears},
		{IndicatorInfo{ID: "ops.status", Kind: Categorical, Categories: statusCategories, Description: "Legal status"}, opsStatus},
		{IndicatorInfo{ID: "trade.customs_status", Kind: Categorical, Categories: customsCategories, Description: "Customs credit standing"}, tradeCustomsStatus},
		{IndicatorInfo{ID: "trade.years_trading", Scale: 2, Description: "Years since the enterprise started foreign trade"}, tradeYearsTrading},
		{IndicatorInfo{ID: "trade.partner_countries", Scale: 0, Description: "Distinct trade partner countries"}, tradePartnerCountries},
	}
	m := make(map[string]indicatorDef, len(defs))
	for _, d := range defs {
		m[d.ID] = d
	}
	return m
}()
