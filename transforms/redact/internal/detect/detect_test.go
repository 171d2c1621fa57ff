package detect_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/transforms/redact/internal/detect"
)

var all = detect.Config{Types: detect.All, Threshold: 0.5}

type found struct {
	Type detect.Entity
	Text string
}

func find(cfg detect.Config, s string) []found {
	var out []found
	for _, m := range detect.Find(cfg, []byte(s)) {
		out = append(out, found{m.Type, s[m.Start:m.End]})
	}
	return out
}

// findsNothing asserts that cfg finds nothing in each of texts.
func findsNothing(t *testing.T, cfg detect.Config, texts ...string) {
	t.Helper()
	for _, s := range texts {
		assert.Empty(t, find(cfg, s), "%q", s)
	}
}

func TestPositives(t *testing.T) {
	for _, tc := range []struct {
		text string
		want detect.Entity
		span string // the matched text; the whole of text after ": " when empty
	}{
		{"mail john.doe+tag@example.co.uk now", detect.EMAIL, "john.doe+tag@example.co.uk"},
		{"<a.b@c.io>", detect.EMAIL, "a.b@c.io"},
		{"call (415) 555-2671.", detect.PHONE, "(415) 555-2671"},
		{"tel 415-555-2671", detect.PHONE, "415-555-2671"},
		{"tel 415.555.2671", detect.PHONE, "415.555.2671"},
		{"tel: 1-415-555-2671", detect.PHONE, "1-415-555-2671"},
		{"phone 4155552671", detect.PHONE, "4155552671"},
		{"+1 415 555 2671", detect.PHONE, "+1 415 555 2671"},
		{"+1 (415) 555-2671", detect.PHONE, "+1 (415) 555-2671"},
		{"+44 20 7946 0958", detect.PHONE, "+44 20 7946 0958"},
		{"+33 1 23 45 67 89", detect.PHONE, "+33 1 23 45 67 89"},
		{"+4915123456789", detect.PHONE, "+4915123456789"},
		{"SSN: 536-22-1234", detect.SSN, "536-22-1234"},
		{"ssn 536221234", detect.SSN, "536221234"},
		{"ssn:536 22 1234", detect.SSN, "536 22 1234"},
		{"card 4111 1111 1111 1111 exp", detect.CREDIT_DEBIT_NUMBER, "4111 1111 1111 1111"},
		{"4111-1111-1111-1111", detect.CREDIT_DEBIT_NUMBER, "4111-1111-1111-1111"},
		{"amex 3782 822463 10005", detect.CREDIT_DEBIT_NUMBER, "3782 822463 10005"},
		{"pan=5555555555554444;", detect.CREDIT_DEBIT_NUMBER, "5555555555554444"},
		{"IBAN DE89 3704 0044 0532 0130 00.", detect.INTERNATIONAL_BANK_ACCOUNT_NUMBER, "DE89 3704 0044 0532 0130 00"},
		{"GB82WEST12345698765432", detect.INTERNATIONAL_BANK_ACCOUNT_NUMBER, "GB82WEST12345698765432"},
		{"routing 021000021", detect.BANK_ROUTING, "021000021"},
		{"ABA: 121000358", detect.BANK_ROUTING, "121000358"},
		{"from 192.168.1.20:8080", detect.IP_ADDRESS, "192.168.1.20"},
		{"net 10.0.0.0/8", detect.IP_ADDRESS, "10.0.0.0"}, // a network is an address (Comprehend's example is 198.51.100.0)
		{"NINO SK406630 A,K475", detect.UK_NATIONAL_INSURANCE_NUMBER, "SK406630 A"},
		{"NINO SK406630 a record", detect.UK_NATIONAL_INSURANCE_NUMBER, "SK406630"},
		{" 10     acde.484b.3a9b    DYNAMIC", detect.MAC_ADDRESS, "acde.484b.3a9b"},
		{"Card with network address A483E7761630 has been", detect.MAC_ADDRESS, "A483E7761630"},
		{"[2001:db8::8a2e:370:7334]", detect.IP_ADDRESS, "2001:db8::8a2e:370:7334"},
		{"addr fe80::1 up", detect.IP_ADDRESS, "fe80::1"},
		{"addr ::ffff:192.0.2.1 up", detect.IP_ADDRESS, "::ffff:192.0.2.1"},
		{"addr 2001:0db8:85a3:0000:0000:8a2e:0370:7334.", detect.IP_ADDRESS, "2001:0db8:85a3:0000:0000:8a2e:0370:7334"},
		{"ether 00:1a:2b:3c:4d:5e", detect.MAC_ADDRESS, "00:1a:2b:3c:4d:5e"},
		{"AA-BB-CC-DD-EE-FF", detect.MAC_ADDRESS, "AA-BB-CC-DD-EE-FF"},
		{"see https://example.com/a?b=c.", detect.URL, "https://example.com/a?b=c"},
		{"(http://example.com/x)", detect.URL, "http://example.com/x"},
		{"go to www.example.org/path, then", detect.URL, "www.example.org/path"},
		{"key AKIAIOSFODNN7EXAMPLE", detect.AWS_ACCESS_KEY, "AKIAIOSFODNN7EXAMPLE"},
		{"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", detect.AWS_SECRET_KEY, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
		{`"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"`, detect.AWS_SECRET_KEY, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
		{"BIC: DEUTDEFF", detect.SWIFT_CODE, "DEUTDEFF"},
		{"pay NWBKGB2L", detect.SWIFT_CODE, "NWBKGB2L"},
		{"BOFAUS3NXXX", detect.SWIFT_CODE, "BOFAUS3NXXX"},
		{"NINO AB123456C", detect.UK_NATIONAL_INSURANCE_NUMBER, "AB123456C"},
		{"ni: AB 12 34 56 C", detect.UK_NATIONAL_INSURANCE_NUMBER, "AB 12 34 56 C"},
		{"SIN 130-692-544", detect.CA_SOCIAL_INSURANCE_NUMBER, "130-692-544"},
		{"social insurance 130692544", detect.CA_SOCIAL_INSURANCE_NUMBER, "130692544"},
		{"NHS number 943 476 5919", detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER, "943 476 5919"},
		{"Aadhaar 2345 6789 0124", detect.IN_AADHAAR, "2345 6789 0124"},
		{"VIN 1HGCM82633A004352", detect.VEHICLE_IDENTIFICATION_NUMBER, "1HGCM82633A004352"},
		{"at 2024-01-15T10:23:45.123Z done", detect.DATE_TIME, "2024-01-15T10:23:45.123Z"},
		{"at 2024-01-15 10:23:45+02:00", detect.DATE_TIME, "2024-01-15 10:23:45+02:00"},
		{"born 01/15/1984", detect.DATE_TIME, "01/15/1984"},
		{"born 15.01.1984", detect.DATE_TIME, "15.01.1984"},
		{"on January 15, 2024", detect.DATE_TIME, "January 15, 2024"},
		{"on 15 Sept 2024", detect.DATE_TIME, "15 Sept 2024"},
		{"at 9:30 pm", detect.DATE_TIME, "9:30 pm"},
		{"Date: Tue, 14 Jul 2026 09:12:33 -0700\n", detect.DATE_TIME, "Tue, 14 Jul 2026 09:12:33 -0700"},
		{`1.2.3.4 - - [14/Jul/2026:10:24:09 +0000] "GET /`, detect.DATE_TIME, "14/Jul/2026:10:24:09 +0000"},
		{"Jul  4 03:16:02 host sshd[811]: ok", detect.DATE_TIME, "Jul  4 03:16:02"},
		{"14/07/2026, 18:41 - Lucía: hola", detect.DATE_TIME, "14/07/2026, 18:41"},
		{"on March 2, 2026 8:14 AM we", detect.DATE_TIME, "March 2, 2026 8:14 AM"},
		{"at 2026-07-14 04:02:10 UTC,", detect.DATE_TIME, "2026-07-14 04:02:10 UTC"},
		{"2026-07-14 02:27:48,207 INFO start", detect.DATE_TIME, "2026-07-14 02:27:48,207"},
		{"[14.07.26 12:04:51] Anna: ok", detect.DATE_TIME, "14.07.26 12:04:51"},
		{"window 03:18 UTC to 04:00 UTC", detect.DATE_TIME, "03:18 UTC"},
		{"ITIN 912-70-1234", detect.US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER, "912-70-1234"},
		// National phone numbers, with the trunk 0 (issue 19).
		{"mobile 07758 504408", detect.PHONE, "07758 504408"},
		{"office 020 7617 3192.", detect.PHONE, "020 7617 3192"},
		{"01632 771753 (home)", detect.PHONE, "01632 771753"},
		{"switchboard 0161 496 0123", detect.PHONE, "0161 496 0123"},
		{"07700 900 781", detect.PHONE, "07700 900 781"},
		{"cell 68006 44079", detect.PHONE, "68006 44079"},
		{"Mumbai office 022-92879476", detect.PHONE, "022-92879476"},
		{"portable 06 12 34 56 78", detect.PHONE, "06 12 34 56 78"},
		{"bureau 01.23.45.67.89", detect.PHONE, "01.23.45.67.89"},
		{"Tel. (030) 1234567", detect.PHONE, "(030) 1234567"},
		{"(020) 7617 3192", detect.PHONE, "(020) 7617 3192"},
		{"Handy 0151 23456789", detect.PHONE, "0151 23456789"},
		{"Fax 089/1234567", detect.PHONE, "089/1234567"},
		{"mobile: 07758504408", detect.PHONE, "07758504408"},
		// Every MAC form.
		{"mac 809A.7E8A.CD56 up", detect.MAC_ADDRESS, "809A.7E8A.CD56"},
		{"mac 9c00.633f.ca96", detect.MAC_ADDRESS, "9c00.633f.ca96"},
		{"port cd56.7e8a.809a up", detect.MAC_ADDRESS, "cd56.7e8a.809a"},
		{"src de-b2-c2-f7-32-91", detect.MAC_ADDRESS, "de-b2-c2-f7-32-91"},
		{"cc-f8-26-1a-bb-0c", detect.MAC_ADDRESS, "cc-f8-26-1a-bb-0c"},
		{"hw de:b2:c2:f7:32:91", detect.MAC_ADDRESS, "de:b2:c2:f7:32:91"},
		// Identifiers typed in lower case.
		{"NINO zb630500b", detect.UK_NATIONAL_INSURANCE_NUMBER, "zb630500b"},
		{"ni: sc 29 58 96 c", detect.UK_NATIONAL_INSURANCE_NUMBER, "sc 29 58 96 c"},
		{"vin 1hgcm82633a004352", detect.VEHICLE_IDENTIFICATION_NUMBER, "1hgcm82633a004352"},
		{"vin jh4ka7561pc008269", detect.VEHICLE_IDENTIFICATION_NUMBER, "jh4ka7561pc008269"},
		{"iban de89 3704 0044 0532 0130 00", detect.INTERNATIONAL_BANK_ACCOUNT_NUMBER, "de89 3704 0044 0532 0130 00"},
		{"gb82west12345698765432", detect.INTERNATIONAL_BANK_ACCOUNT_NUMBER, "gb82west12345698765432"},
		// Ordinal dates.
		{"born 16th of April 1955", detect.DATE_TIME, "16th of April 1955"},
		{"born April 16th, 1955", detect.DATE_TIME, "April 16th, 1955"},
		{"on the 3rd of March, 2001", detect.DATE_TIME, "3rd of March, 2001"},
		{"16th April 1955", detect.DATE_TIME, "16th April 1955"},
		// Secret keys labelled only by their access key id.
		{"(key AKIAIOSFODNN7EXAMPLE, secret qsJGalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE1)", detect.AWS_SECRET_KEY, "qsJGalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE1"},
		{"keys like AKIAIOSFODNN7EXAMPLE / zD+JealrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPL1", detect.AWS_SECRET_KEY, "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"},
		{"(secret qsJGalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE1, key AKIAIOSFODNN7EXAMPLE)", detect.AWS_SECRET_KEY, "qsJGalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE1"},
		// Secret keys that start in lower case, with a label some way off.
		{"secret printed by mistake -> fm16c/HqhIzwC+x/gV7220ZU/PxR0V52lsMURKs4\n", detect.AWS_SECRET_KEY, "fm16c/HqhIzwC+x/gV7220ZU/PxR0V52lsMURKs4"},
		{"13    aws-secret-key       aAoDb/gn2BhCdmy58A1dMJgO34gwzamrjrZhbpFb\n", detect.AWS_SECRET_KEY, "aAoDb/gn2BhCdmy58A1dMJgO34gwzamrjrZhbpFb"},
		{"QsJGalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE1 AKIAIOSFODNN7EXAMPLE", detect.AWS_SECRET_KEY, "QsJGalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE1"},
		// Well-known example values, labelled.
		{"SSN 123-45-6789", detect.SSN, "123-45-6789"},
		{"ssn: 078-05-1120", detect.SSN, "078-05-1120"},
		{"ssn=219099999", detect.SSN, "219099999"},
		{"phone (555) 123-4567", detect.PHONE, "(555) 123-4567"},
		{"Phone: 555-123-4567", detect.PHONE, "555-123-4567"},
		{"phone +1 (555) 123-4567", detect.PHONE, "+1 (555) 123-4567"},
		{"tel 1-555-123-4567", detect.PHONE, "1-555-123-4567"},
		{"NINO QQ 12 34 56 C", detect.UK_NATIONAL_INSURANCE_NUMBER, "QQ 12 34 56 C"},
		// More national forms, and ordinals after a month in lower case.
		{"call 080-2345 6789", detect.PHONE, "080-2345 6789"},
		{"mob 098765 43210", detect.PHONE, "098765 43210"},
		{"born april 16th, 1955", detect.DATE_TIME, "april 16th, 1955"},
		{"key AKIAIOSFODNN7EXAMPLE and its secret, which you must keep, is qsJGalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE1",
			detect.AWS_SECRET_KEY, "qsJGalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE1"},
		// A group joined on by another separator is another token.
		{"card 4111 1111 1111 1111 12/28", detect.CREDIT_DEBIT_NUMBER, "4111 1111 1111 1111"},
		// UK mobile and non-geographic numbers, 00 and a calling code, a
		// country code 1 without '+', Quebec's and Australia's forms.
		{"helpline 0330 088 4410\n", detect.PHONE, "0330 088 4410"},
		{"mob 07384 019 227 email", detect.PHONE, "07384 019 227"},
		{"Pathan,0091 89560 22714,020", detect.PHONE, "0091 89560 22714"},
		{"call 0044 20 7946 0958", detect.PHONE, "0044 20 7946 0958"},
		{"AB,1 (403) 555-0101,0886", detect.PHONE, "1 (403) 555-0101"},
		{"au 418 555-0133 ou", detect.PHONE, "418 555-0133"},
		{"WORK:(02) 9441 7229;EMAIL", detect.PHONE, "(02) 9441 7229"},
		{"AU7036964,Nadia Iyer,0412 040 834,(07) 3492", detect.PHONE, "0412 040 834"},
		{"Murphy;(11) 92806-4306;(21) 2361-3645;niamh", detect.PHONE, "(11) 92806-4306"},
		{"Murphy;(11) 92806-4306;(21) 2361-3645;niamh", detect.PHONE, "(21) 2361-3645"},
		{"Tanvi Kaur;11 97168-7102;x", detect.PHONE, "11 97168-7102"},
		{"móvil 625 671 402\n", detect.PHONE, "625 671 402"},
		{"Teléfono móvil: 620 12 84 23    Teléfono fijo: 91 463 80 35", detect.PHONE, "620 12 84 23"},
		{"Teléfono móvil: 620 12 84 23    Teléfono fijo: 91 463 80 35", detect.PHONE, "91 463 80 35"},
		{"| BZ243228D | 07485687668 | x", detect.PHONE, "07485687668"},
		{"MSISDN\tICCID\n917779487626\t899172943\n", detect.PHONE, "917779487626"},
		{"# calling_number,called_number,start_time\n4915577446572,441642262185,2025-01-20\n", detect.PHONE, "4915577446572"},
		{"# calling_number,called_number,start_time\n4915577446572,441642262185,2025-01-20\n", detect.PHONE, "441642262185"},
		{"IMPS-496812922250-MOB 9741137938 ", detect.PHONE, "9741137938"},
		// Cisco MACs whose first group is digits; a link-local address
		// with its zone.
		{"-   3032.8c5f.c273  ARPA", detect.MAC_ADDRESS, "3032.8c5f.c273"},
		{"20    4227.e713.699d    DYNAMIC", detect.MAC_ADDRESS, "4227.e713.699d"},
		{"IPv6 Address : fe80::5c1e:aa12:7b44:9d10%14(Preferred)", detect.IP_ADDRESS, "fe80::5c1e:aa12:7b44:9d10%14"},
		{"| nas-01 | fe80::5a7d:72f4:ec0f:e263%wlan0 | Gi1", detect.IP_ADDRESS, "fe80::5a7d:72f4:ec0f:e263%wlan0"},
		{"NINO Zy022889c  surname", detect.UK_NATIONAL_INSURANCE_NUMBER, "Zy022889c"},
		// Dates with their weekday and time, without a year, a month and
		// a year, times alone, in French, German and Spanish.
		{"On Mon 1 June 2026 at 09:12, Fernleaf wrote", detect.DATE_TIME, "Mon 1 June 2026 at 09:12"},
		{"Sent: Thursday, 4 June 2026 12:31\n", detect.DATE_TIME, "Thursday, 4 June 2026 12:31"},
		{"Slack, Jun 3rd, 2026 at 4:12 PM\n", detect.DATE_TIME, "Jun 3rd, 2026 at 4:12 PM"},
		{"[Wed Jun 03 17:06:45.118223 2026] [proxy:error]", detect.DATE_TIME, "Wed Jun 03 17:06:45.118223 2026"},
		{"your appointment is Monday 18th May at 2:30pm at Dundee", detect.DATE_TIME, "Monday 18th May at 2:30pm"},
		{"- Tue 2 Jun, 15:40 Left voicemail", detect.DATE_TIME, "Tue 2 Jun, 15:40"},
		{"delivery 5 June ko", detect.DATE_TIME, "5 June"},
		{"in transit, expected June 5\n", detect.DATE_TIME, "June 5"},
		{"Follow-up June 10th.", detect.DATE_TIME, "June 10th"},
		{"(since Sept 2021)", detect.DATE_TIME, "Sept 2021"},
		{"[14:21] Visitor: hi", detect.DATE_TIME, "14:21"},
		{"01/06/2026,09:12,Mr D. Rees", detect.DATE_TIME, "09:12"},
		{"date of loss May 30, 2026 ~7:45 a.m.\n", detect.DATE_TIME, "7:45 a.m."},
		{"02/06/26, 8:14 pm - Neha: ok", detect.DATE_TIME, "02/06/26, 8:14 pm"},
		{"passée le 2 juin 2026. Vous", detect.DATE_TIME, "2 juin 2026"},
		{"Date : le 2 juin 2026 à 10 h 14\n", detect.DATE_TIME, "2 juin 2026 à 10 h 14"},
		{"le 1er août 2026", detect.DATE_TIME, "1er août 2026"},
		{"geboren am 3. Juni 1962 in Köln", detect.DATE_TIME, "3. Juni 1962"},
		{"nacido el 2 de junio de 1990", detect.DATE_TIME, "2 de junio de 1990"},
		{"bilal.kapoor@orange.fr;6 février 1997\n", detect.DATE_TIME, "6 février 1997"},
		{"Geburtsdatum: 31. März 1956    Staat", detect.DATE_TIME, "31. März 1956"},
		{"AuthorDate: Sat Aug 22 04:46:12 2026 +0530\n", detect.DATE_TIME, "Sat Aug 22 04:46:12 2026 +0530"},
		{"du lundi au vendredi, de 9h00 à 18h00.", detect.DATE_TIME, "9h00"},
		{"山田 受付日時: 2026年7月14日 15:20\n", detect.DATE_TIME, "2026年7月14日 15:20"},
		// A TIN column holds SSNs as well as ITINs; cheque MICR lines.
		{"taxpayer_tin: 657890349", detect.SSN, "657890349"},
		{"deposits: \u2446236630626\u2446 0044172290\u2448", detect.BANK_ROUTING, "236630626"},
		// A SWIFT code after an IBAN on its line, or in an MT103 field.
		{"IBAN DE89 3704 0044 0532 0130 00 · COBADEFF\n", detect.SWIFT_CODE, "COBADEFF"},
		{":52A:BCOMPTPL\n", detect.SWIFT_CODE, "BCOMPTPL"},
		{"  swift: qiqjiecjo9n\n", detect.SWIFT_CODE, "qiqjiecjo9n"},
		{"bic: hyqldew3\n", detect.SWIFT_CODE, "hyqldew3"},
		{"memo: DEUTGB2L, MIDLHKHH, SCBLSGSG", detect.SWIFT_CODE, "SCBLSGSG"},
		// Records' dates: ISO 8601's basic format (iCalendar), HL7 and
		// X12 fields, SWIFT MT statements; vCard's BDAY; Italian, Dutch
		// and Japanese dates with their times.
		{"DTSTART;TZID=Europe/London:20250729T100000\n", detect.DATE_TIME, "20250729T100000"},
		{"DTSTAMP:20250729T101500Z\n", detect.DATE_TIME, "20250729T101500Z"},
		{"PID|1||06921^^^NHS^NH||NGUYEN^PRIYA||19730517|F|||", detect.DATE_TIME, "19730517"},
		{"MSH|^~\\&|LAB|RXH|EPR|RXH|20251015234634+0100||ORU^R01|", detect.DATE_TIME, "20251015234634+0100"},
		{"DMG*D8*19800101*M~", detect.DATE_TIME, "19800101"},
		{"BDAY:19850412\n", detect.DATE_TIME, "19850412"},
		{":60F:C250728EUR12345,67\n", detect.DATE_TIME, "250728"},
		{":61:2507290729D1234,56NTRFNONREF\n", detect.DATE_TIME, "2507290729"},
		{":32A:250729EUR51196,00\n", detect.DATE_TIME, "250729"},
		{"Il 29 luglio 2025 alle 10:30 ha chiamato", detect.DATE_TIME, "29 luglio 2025 alle 10:30"},
		{"Op 3 mei 2024 om 14:00, bel", detect.DATE_TIME, "3 mei 2024 om 14:00"},
		{"受付 2025年7月29日 14時30分、電話", detect.DATE_TIME, "2025年7月29日 14時30分"},
		// A SWIFT code in lower case after "bic" on an account's line.
		{"to NL65 RABO 5012 1711 48 bic ingbnl2a - can", detect.SWIFT_CODE, "ingbnl2a"},
		{"pay be05 7680 1988 3923 / bic gkccbebb\n", detect.SWIFT_CODE, "gkccbebb"},
		{"routing 117971938, swift/bic yavgushm\n", detect.SWIFT_CODE, "yavgushm"},
		// Connection strings are URLs, whatever user and password they
		// hold.
		{"DB_URL: postgres://app:pw@db.internal:5432/shop\n", detect.URL, "postgres://app:pw@db.internal:5432/shop"},
		{"REDIS=redis://:secret@cache:6379/0\n", detect.URL, "redis://:secret@cache:6379/0"},
		{"url=jdbc:postgresql://db:5432/app;", detect.URL, "jdbc:postgresql://db:5432/app"},
		// Weekdays in other languages are part of their dates; Japanese
		// writes one in brackets.
		{"Le mar. 29 juil. 2025 à 14:05, Jean a écrit", detect.DATE_TIME, "mar. 29 juil. 2025 à 14:05"},
		{"Am Di., 29. Juli 2025 um 14:05 Uhr schrieb", detect.DATE_TIME, "Di., 29. Juli 2025 um 14:05 Uhr"},
		{"El mar, 29 jul 2025 a las 14:05, Ana", detect.DATE_TIME, "mar, 29 jul 2025 a las 14:05"},
		{"Inviato: martedì 29 luglio 2025 10:30\n", detect.DATE_TIME, "martedì 29 luglio 2025 10:30"},
		{"Verzonden: dinsdag 29 juli 2025 14:00\n", detect.DATE_TIME, "dinsdag 29 juli 2025 14:00"},
		{"送信日時: 2025年7月29日(火) 14:30\n", detect.DATE_TIME, "2025年7月29日(火) 14:30"},
		{"il 3 ago 2025, ore", detect.DATE_TIME, "3 ago 2025"},
		// ISO 20022's tags for a BIC; X12's qualifier before an ABA number.
		{"<DbtrAgt><FinInstnId><BICFI>HSBCHKHH</BICFI></FinInstnId>", detect.SWIFT_CODE, "HSBCHKHH"},
		{"BPR*C*7054.92*C*ACH*CCP*01*313007855*DA*9946718751~", detect.BANK_ROUTING, "313007855"},
		// Canada's sample SIN, labelled.
		{"Social insurance number 046 454 286", detect.CA_SOCIAL_INSURANCE_NUMBER, "046 454 286"},
		{`{"sin": "046454286"}`, detect.CA_SOCIAL_INSURANCE_NUMBER, "046454286"},
		// Go's time with its offset and zone name; two times of a range;
		// a deed's date; a SigV4 credential's date; X12's dates and times;
		// LDAP's generalized time; Dublin's numbers.
		{"Start time : 2024-10-30 05:13:42.393397808 +0000 UTC\n", detect.DATE_TIME, "2024-10-30 05:13:42.393397808 +0000 UTC"},
		{`quiet_hours = "18:28-20:59"`, detect.DATE_TIME, "18:28"},
		{`quiet_hours = "18:28-20:59"`, detect.DATE_TIME, "20:59"},
		{"Dated: 19th day of August, 2024\n", detect.DATE_TIME, "19th day of August, 2024"},
		{"Credential=ASIAE23IF64JA2PZ3OJP/20250216/eu-west-1/s3/aws4_request", detect.DATE_TIME, "20250216"},
		{"ISA*00*          *ZZ*RECEIVER       *230714*2021*^*00501*0*P*:~", detect.DATE_TIME, "230714"},
		{"ISA*00*          *ZZ*RECEIVER       *230714*2021*^*00501*0*P*:~", detect.DATE_TIME, "2021"},
		{"GS*BE*SENDER*RECEIVER*20230714*2021*7189*X*005010X220A1~", detect.DATE_TIME, "2021"},
		{"createTimestamp: 20240916200010Z\n", detect.DATE_TIME, "20240916200010Z"},
		{`"+353 1 233 3274","01 412 5478"`, detect.PHONE, "01 412 5478"},
		// From the sixth set: a NI number typed in lower case and spaced,
		// a BIC as a JSON value, an ITIN under tax_id, Brazil's mobile
		// with a space, Portugal's fixed line and Ireland's mobile with
		// a label, s3:// URLs, an IPv4-mapped address with its port, a
		// secret key with a '+' after its first letters, SWIFT's value
		// date in JSON, Portuguese weekdays.
		{`"59197","Priya Evans","pj 104417 a","6846110"`, detect.UK_NATIONAL_INSURANCE_NUMBER, "pj 104417 a"},
		{`{"iban":"NL45INGB2667934934","bic":"ingbnl2a"}`, detect.SWIFT_CODE, "ingbnl2a"},
		{`{"tax_id":"967501365","phone":1}`, detect.US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER, "967501365"},
		{`"mobile":"(48) 98678 8694"`, detect.PHONE, "(48) 98678 8694"},
		{"Contacto: 234 183 500.", detect.PHONE, "234 183 500"},
		{"Tel 085-0153363\n", detect.PHONE, "085-0153363"},
		{"df = pd.read_parquet('s3://clinic-exports/patients/latest.parquet')", detect.URL, "s3://clinic-exports/patients/latest.parquet"},
		{"haproxy[9111]: ::ffff:94.120.44.239:42762 [06", detect.IP_ADDRESS, "::ffff:94.120.44.239"},
		{"matched secret rb+Qa+KvKxr7PGJ56iZ54wV9p+eMN+6gDk0Sb/Oo (entropy", detect.AWS_SECRET_KEY, "rb+Qa+KvKxr7PGJ56iZ54wV9p+eMN+6gDk0Sb/Oo"},
		{`{"20":"FT5510805145","32A":"241016USD12194,4"}`, detect.DATE_TIME, "241016"},
		{"Marcação: terça-feira, 1 de julho de 2025, às 16:00. Contacto", detect.DATE_TIME, "terça-feira, 1 de julho de 2025, às 16:00"},
		// From the seventh set: record formats' dates (FIX, C-CDA, logcat,
		// Zeek, DICOM, EDIFACT, a 14-digit stamp), Korean and Polish
		// dates, zones after an offset or AM/PM, months in capitals and
		// French months in lower case without a year; tcpdump's addresses
		// with their ports; an address after a label's ':'; EDIFACT's COM
		// segments; BICs in Python's repr and after "Intermediary"; s3a://.
		{"52=20250729-13:30:00.002|56=BROKER", detect.DATE_TIME, "20250729-13:30:00.002"},
		{"|75=20250729|64=20250731|", detect.DATE_TIME, "20250729"},
		{`<effectiveTime value="20250722090500-0700"/>`, detect.DATE_TIME, "20250722090500-0700"},
		{"07-26 11:10:58.221  8841  88 I Kyc: x", detect.DATE_TIME, "07-26 11:10:58.221"},
		{"#open\t2025-07-29-09-00-00\n", detect.DATE_TIME, "2025-07-29-09-00-00"},
		{"(0008,0020) DA [20250728]         #   8, 1 StudyDate", detect.DATE_TIME, "20250728"},
		{"(0008,0030) TM [141502.118]       #  10, 1 StudyTime", detect.DATE_TIME, "141502.118"},
		{"DTM+137:20250729:102'", detect.DATE_TIME, "20250729"},
		{"E2LFA1M  20250729101512\n", detect.DATE_TIME, "20250729101512"},
		{"기존 계좌는 2025년 7월 31일 오후 6시까지만", detect.DATE_TIME, "2025년 7월 31일 오후 6시"},
		{"Data: wt., 29 lip 2025 o 14:17\n", detect.DATE_TIME, "wt., 29 lip 2025 o 14:17"},
		{"minął 15 lipca 2025 r.\n", detect.DATE_TIME, "15 lipca 2025 r."},
		{">; Tue, 29 Jul 2025 16:02:14 +0200 (CEST)\n", detect.DATE_TIME, "Tue, 29 Jul 2025 16:02:14 +0200 (CEST)"},
		{"we released at 3:12 PM ET today", detect.DATE_TIME, "3:12 PM ET"},
		{"SALE OF SATURDAY, AUGUST 2, 2025 - LANE 4", detect.DATE_TIME, "SATURDAY, AUGUST 2, 2025"},
		{"qui commence aussi le 11 août, m'a", detect.DATE_TIME, "11 août"},
		{"length 86: 192.168.16.195.40112 > 192.168.1.66.53: 18834", detect.IP_ADDRESS, "192.168.16.195"},
		{"length 86: 192.168.16.195.40112 > 192.168.1.66.53: 18834", detect.IP_ADDRESS, "192.168.1.66"},
		{"length 95: 2406:da14:bf39:e83a::6435.53811 > x", detect.IP_ADDRESS, "2406:da14:bf39:e83a::6435"},
		{"IP Address:217.88.93.237, IP Address:2406:da14:9cc3:992::30e8\n", detect.IP_ADDRESS, "2406:da14:9cc3:992::30e8"},
		{"COM++31 6 18399680:TE'", detect.PHONE, "+31 6 18399680"},
		{"COM+crediteuren@vandijk-logistiek.nl:EM'", detect.EMAIL, "crediteuren@vandijk-logistiek.nl"},
		{"{'iban': 'x', 'bic': 'nwbkgb2l', 'phone': 1}", detect.SWIFT_CODE, "nwbkgb2l"},
		{"  Intermediary:      BCITITMM\n", detect.SWIFT_CODE, "BCITITMM"},
		{"spark.eventLog.dir  s3a://nw-spark-logs/events/\n", detect.URL, "s3a://nw-spark-logs/events/"},
		// From the eighth set: a day and month with a time, m/d/yy with a
		// time and a weekday, OCR's spaced dates and commas, German "17
		// Uhr", British "2.15pm", lone hours, dhcpd's weekday number; a
		// ';' CSV's URL ends at its delimiter; NHSNumber names its column;
		// Belgian, Swiss and Mexican numbers.
		{"Atorvastatin 20mg x28      16/06 10:12\n", detect.DATE_TIME, "16/06 10:12"},
		{"6/10/25 8:30a FNOL from", detect.DATE_TIME, "6/10/25 8:30a"},
		{"Appointment: Wed 18/6/25 2:30pm with", detect.DATE_TIME, "Wed 18/6/25 2:30pm"},
		{"Date of birth :\n07 / 22 / 1988\n", detect.DATE_TIME, "07 / 22 / 1988"},
		{"Start date :  Aug 4 , 2025   ", detect.DATE_TIME, "Aug 4 , 2025"},
		{"am 30. April 2025, 17 Uhr.", detect.DATE_TIME, "30. April 2025, 17 Uhr"},
		{"on Tuesday 8 July 2025 at 2.15pm.", detect.DATE_TIME, "Tuesday 8 July 2025 at 2.15pm"},
		{"between 8am and 6pm.", detect.DATE_TIME, "6pm"},
		{"lease 10.0.0.9 { starts 1 2025/06/30 08:01:12; ends", detect.DATE_TIME, "1 2025/06/30 08:01:12"},
		{"Date : 7/28/25\n", detect.DATE_TIME, "7/28/25"},
		{"id;web;date;note\nL-1;https://devries-installatie.nl;03-06-2025;nieuw\n", detect.URL, "https://devries-installatie.nl"},
		{"NHSNumber,Surname,Forename,DOB\n5076791380,Turner,Jack,1945-03-02\n", detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER, "5076791380"},
		{"Tel. 09 223 44 71 – GSM 0477 12 09 33 – info", detect.PHONE, "0477 12 09 33"},
		{"Rückfragen: 044 447 12 09 oder", detect.PHONE, "044 447 12 09"},
		{"mi cel es 55 1234 5678 por si", detect.PHONE, "55 1234 5678"},
		// From the ninth set (issue 19, fourth pass): glog's and
		// Kubernetes' line header, Squid's peer, a Cisco stamp with its
		// date after the zone, a query with a ',' in a value, a day in
		// words, an airline record's date and time, an export's yymmdd
		// under its date column.
		{"I0722 14:05:09.481220       7 controller.go:88] synced\n", detect.DATE_TIME, "0722 14:05:09.481220"},
		{"TCP_MISS/200 5 GET http://x.io/ - HIER_DIRECT/103.156.31.13 text/html", detect.IP_ADDRESS, "103.156.31.13"},
		{"! Last configuration change at 20:00:07 UTC Sun Apr 28 2024 by netops", detect.DATE_TIME, "20:00:07 UTC Sun Apr 28 2024"},
		{"see https://maps.google.com/?q=51.4545,-2.5879&z=15 now", detect.URL, "https://maps.google.com/?q=51.4545,-2.5879&z=15"},
		{"born on the fourteenth of March 1979 in", detect.DATE_TIME, "fourteenth of March 1979"},
		{"on the twenty-first of June 2025.", detect.DATE_TIME, "twenty-first of June 2025"},
		{"  4 AP MAD 23DEC26/0531Z *1A", detect.DATE_TIME, "23DEC26/0531Z"},
		{"batch,routing_number,effective_date,trace\nB1,013281065,240104,6001092722787610\n", detect.DATE_TIME, "240104"},
		// From the tenth set: a label before a quoted value in JSON, a
		// MAC of hex or digits under its column or key, a secret key
		// inside a JSON string, MySQL's and kubectl's stamps, hours with
		// a space before AM, zones named or after a range, "Uhr", a
		// Portuguese date, mm/dd in a statement's columns.
		{`"err": null, "mobile": "9578644729", "name": "K"`, detect.PHONE, "9578644729"},
		{"unit,telematics_mac\nFL-1,9CB6D0B376DF\n", detect.MAC_ADDRESS, "9CB6D0B376DF"},

		{"guest login ok client_mac=9CB6D0996F78 ip=", detect.MAC_ADDRESS, "9CB6D0996F78"},
		{`{"match": "aws_secret_access_key=\"vdiBQLKDEyw8KEGAHa9lWPBGGQDDdTLbxAIvNkeF\""}`, detect.AWS_SECRET_KEY, "vdiBQLKDEyw8KEGAHa9lWPBGGQDDdTLbxAIvNkeF"},
		{"240522  4:39:30 T3557618 SALE\n", detect.DATE_TIME, "240522  4:39:30"},
		{"2025-04-21T03:11:00Z I0421 03:11:00.380118       1 c.go:1]", detect.DATE_TIME, "0421 03:11:00.380118"},
		{"between 9 AM and 11 AM Eastern.", detect.DATE_TIME, "11 AM Eastern"},
		{"between 9 AM and 11 AM Eastern.", detect.DATE_TIME, "9 AM"},
		{"Sundays 02:00-04:00 UTC. Changes", detect.DATE_TIME, "04:00 UTC"},
		{"(Mon-Fri 9am-5pm)", detect.DATE_TIME, "5pm"},
		{"(werktags ab 17:30 Uhr).", detect.DATE_TIME, "17:30 Uhr"},
		{"no dia 24 de março de 2025 e", detect.DATE_TIME, "24 de março de 2025"},
		{"Trans  Post   Description        Amount\n04/06  04/08  PILOT TRAVEL #412  277.56\n", detect.DATE_TIME, "04/08"},
		{"ip=192.168.102.29 sms=93 436 98 06 ssid=x", detect.PHONE, "93 436 98 06"},
		// From the eleventh set: trufflehog's RawV2 (an access key and
		// its secret glued), EPFO's KYC upload, MT940's ?30 and ?31, X12's
		// NM1 *34 and REF*0F before an ITIN, iptables' MAC= field (two
		// addresses), hostapd's STA, national numbers in mixed groups
		// under a phone label.
		{`"RawV2": "AKIA3WZTALVXVYTRVZOXtj1jY6HCgqmGvUHRvOVEPAK6BhMQ/5wAzXAbXV7M"`, detect.AWS_ACCESS_KEY, "AKIA3WZTALVXVYTRVZOX"},
		{`"RawV2": "AKIA3WZTALVXVYTRVZOXtj1jY6HCgqmGvUHRvOVEPAK6BhMQ/5wAzXAbXV7M"`, detect.AWS_SECRET_KEY, "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"},
		{`"RawV2": "AKIAW5S7YDKDVCGRFVJRDcIfeuJS8U2b2eoayzoS3VEn7AS+fLIGD9Wxoncr"`, detect.AWS_SECRET_KEY, "DcIfeuJS8U2b2eoayzoS3VEn7AS+fLIGD9Wxoncr"},
		{"#~#EPFO KYC BULK UPLOAD#~#\n103283105226#~#A#~#446075866605#~#DIVYA MENON#~#\n", detect.IN_AADHAAR, "446075866605"},
		{":86:166?20EREF+1?30KREDBEBB?31BE16603108584874?32MAES", detect.SWIFT_CODE, "KREDBEBB"},
		{":86:166?20EREF+1?30KREDBEBB?31BE16603108584874?32MAES", detect.INTERNATIONAL_BANK_ACCOUNT_NUMBER, "BE16603108584874"},
		{"NM1*IL*1*CARTER*EMILY****34*965597243~", detect.US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER, "965597243"},
		{"REF*0F*917881368~", detect.US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER, "917881368"},
		{"IN=eth0 OUT= MAC=3c:22:fb:c1:a0:8d:e4:5f:01:6d:82:d4:08:00 SRC=", detect.MAC_ADDRESS, "3c:22:fb:c1:a0:8d"},
		{"IN=eth0 OUT= MAC=3c:22:fb:c1:a0:8d:e4:5f:01:6d:82:d4:08:00 SRC=", detect.MAC_ADDRESS, "e4:5f:01:6d:82:d4"},
		{"hostapd: wlan1: STA 186590359cfb IEEE 802.11: associated", detect.MAC_ADDRESS, "186590359cfb"},
		{"tel. 08-209 93 05 eller", detect.PHONE, "08-209 93 05"},
		{"seller\tcontact_phone\tcountry\nS1\t0475/84.37.26\tBE\n", detect.PHONE, "0475/84.37.26"},
		{"phone: 072-314-8979,", detect.PHONE, "072-314-8979"},
		// X12's qualifiers say what an element is.
		{"PER*IC*JOHN SMITH*TE*6175551234*EM*js@x.com~", detect.PHONE, "6175551234"},
		{"REF*SY*512345678~", detect.SSN, "512345678"},
	} {
		got := find(all, tc.text)
		assert.Contains(t, got, found{tc.want, tc.span}, "in %q", tc.text)
	}
}

// TestNearMisses: shapes of PII that fail validation, and ordinary values
// of logs and data files, find nothing (DATE_TIME aside where dates are
// the point).
func TestNearMisses(t *testing.T) {
	noDates := detect.Config{Types: detect.All &^ detect.SetOf(detect.DATE_TIME), Threshold: 0.5}
	findsNothing(t, noDates,
		"card 4111 1111 1111 1112",                // Luhn
		"1234567812345670",                        // Luhn but no issuer
		"ssn 000-12-3456 666-12-3456",             // SSA rules
		"ssn 123-00-4567 123-45-0000",             // group, serial
		"version 1.2.3.4",                         // a version, not an address
		"ver: 10.0.0.1",                           // idem
		"v1.2.3.4 and 1.2.3.4.5 and 1.2.3",        // version strings
		"release 4.19.0.1-amd64",                  // idem
		"10.0.19041.1",                            // Windows build
		"999.1.1.1 and 01.02.03.04",               // not an address
		"id 123e4567-e89b-12d3-a456-426614174000", // UUID
		"sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709",
		"sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"order 123456 qty 7 price 19.99 total 1,234.56",
		"ts=1712345678 bytes=8589934592 took 12.5ms",
		"HTTP/1.1 200 OK", "status 404 in 0.003s",
		"2024-01-15T10:23:45Z INFO req=ab12cd34 latency_ms=42",
		"10:23:45,123 DEBUG worker-3 done",
		"std::vector<int> a::b",
		"at 12:34 the ratio was 16:9",
		"ABCDEFGH is not a SWIFT code without a label", // letters only
		"DATABASE BUSINESS TRANSFER",
		"phone 123-456-7890", // an area code starting 1 (one starting 0 is a national number: South Africa writes 011-555-1234)
		"QQ123456C", "AB1234567",
		"a.b@c", "@home", "user@localhost", "x@y.z",
		"https:// nothing", "ftp:/x",
		"isbn 978-3-16-148410-0",
		"mac 00:1a:2b:3c:4d", // five groups
		"call 555-1234",
		"http2 :: 1",
		// Numbers longer than any type, and slices of them (issue 19).
		"4539 1488 0343 6468",                        // 16 digits, Luhn fails: no Aadhaar in its first 12
		"9400 1118 9922 3334 5678 41",                // a USPS tracking number holds a valid card
		"SE62 7012 3456 7890 1234 1944",              // an IBAN with a bad check: no Aadhaar inside
		"be29 9756 5346 1548",                        // the same in lower case
		"ref 2345 6789 0124 5555",                    // a valid Aadhaar and four digits more
		"id 0042 1234 5678",                          // trunk 0 then 0: not a phone
		"order 01234-56",                             // too short for a national number
		"1234.5678.9012",                             // dotted digits: a MAC form only with a label
		"ab-cd-ef-12-34",                             // five groups
		"x-ab-cd-ef-12-34-56-78",                     // a MAC inside a longer run
		"SSN 123-45-6789"[4:],                        // the example SSN without its label
		"(555) 123-4567",                             // the example phone without its label
		"QQ 12 34 56 C",                              // HMRC's example NI number, unlabelled
		"ref 046 454 286",                            // Canada's sample SIN, unlabelled
		"myscheme://host/x and http:// and redis://", // no known scheme, or nothing after it
		"4111 1111 1111 1111 123",                    // a card and three digits more is no card
		"zz123456c", "qq123456c",                     // not NI prefixes
		"note 1hgcm82633a004353",                                            // a VIN with a wrong check digit
		"see de89 3704 0044 0532 0130 01",                                   // IBAN check fails
		"16th of Smarch 1955",                                               // not a month
		"secret qsJGalrXUtnFEMI/K7MDENG/bP",                                 // too short
		"group AGPAJ4Q2ZLMX7EXAMPLE, role AROAJ4Q2ZLMX7EXAMPLE",             // IAM entities' ids, no keys
		"route 0.0.0.0 0.0.0.0, permit any 0.0.0.255",                       // the default route and a wildcard mask
		"Message-ID: <44a72642-4a51-4d26-af9f-44b955647fdc@mail.gmail.com>", // a message's id, no mailbox
		"Nadia's iPhone\t357811783492613\tup",                               // an IMEI
		"id 0042 1234 5678 and 0099 1234 5678",                              // 00 and no calling code
		"build 2026.06.1+g3f9c2a7, BUILD 2026.06.03-r4417, 2026.06.1",       // calendar versions
		"John 3:16 and a 16:9 screen",                                       // a verse and a ratio, not times
		"Version 4 May be installed",                                        // no month
		"ref 12 3456-7890, 09 12345-6789",                                   // a Brazilian shape, but 09 is no area code and 3456 needs a label
		"lot 625 671 402 and 620 12 84 23",                                  // Spain's shapes without a label
		"swift: notacodes and bic: abcdefgh1",                               // not a SWIFT code's length
	)
	// Versions of an address's shape under version-named columns, keys
	// and tags are no addresses; a dotted version is no date; a ','
	// in a query ends the URL unless the query goes on with a parameter;
	// six digits are a date only under a date's column.
	assert.Equal(t, []found{{detect.IP_ADDRESS, "10.1.2.3"}}, find(noDates, "asset,ip_address,os_version\nAT-1,10.1.2.3,6.5.12.113\n"))
	assert.Equal(t, []found{{detect.IP_ADDRESS, "192.168.45.87"}},
		find(noDates, "| segment | gateway | switch firmware |\n|---|---|---|\n| staff | 192.168.45.87 | 6.0.5.238 |\n"))
	findsNothing(t, all, "field,value\nfirmware_version,3.12.0.4,,\n", "<pay:ClientVersion>3.4.0.12</pay:ClientVersion>",
		"batch,count,trace\nB1,240104,x\n")
	assert.Equal(t, []found{{detect.DATE_TIME, "2025-03-28"}}, find(all, "BUILD_DATE=2025-03-28\nNODE_VERSION=8.22.15\n"))
	// SEPA's placeholder is no BIC; a duration is no time; a number of a
	// phone's shape that fails the check under an NHS label is neither;
	// twelve digits after "MacDonald" are no MAC; mm/dd outside a table
	// is a ratio or a page; Portuguese "março" is no "Mar".
	findsNothing(t, all,
		"\"Gehalt\";\"NOTPROVIDED\";\"x\"", "  duration: 00:04:27\n", " 274729      nhs_number       452 994 8726\n",
		"Thabo MacDonald\t183377709712\t", "scored 04/06 on page 12/15", "março 5")
	// A key followed by 41 key bytes is no glued pair; a call_id column's
	// numbers are ids; a card's expiry under its column is no date; a
	// number after 0 without a phone label is no national number.
	findsNothing(t, noDates, "AKIAW5S7YDKDVCGRFVJRDcIfeuJS8U2b2eoayzoS3VEn7AS+fLIGD9WxoncrX",
		"call_id,agent,caller_number,queue\n8337590454,agent.jdoyle,,delivery\n", "ref 08-209 93 05 x")
	findsNothing(t, all, "token;pan;expiry;brand\nt1;;08/29;VISA\n")
	// A glog header's month and day must be a date (the time stays one).
	assert.Equal(t, []found{{detect.DATE_TIME, "14:05:09.481220"}}, find(all, "I0799 14:05:09.481220 bad month"))
	assert.Equal(t, []found{{detect.URL, "https://x.com/?ids=1"}}, find(all, "see https://x.com/?ids=1,2,3 now"))
	assert.Equal(t, []found{{detect.URL, "https://x.com/?a=1"}}, find(all, "open https://x.com/?a=1, then"))
	// After "bic" on an account's line, a word with prose after it is a
	// word.
	assert.Equal(t, []found{{detect.INTERNATIONAL_BANK_ACCOUNT_NUMBER, "DE89 3704 0044 0532 0130 00"}},
		find(noDates, "IBAN DE89 3704 0044 0532 0130 00 bic required for this"))
	// A 40-character token with no label and no access key id near it is
	// not taken for a secret key.
	assert.Empty(t, find(all, "token\nqsJGalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE1"))
	// Digits that run together are a date only in a record's field or
	// with ISO 8601's 'T'; fields that hold no date in SWIFT MT
	// messages, and tags that do not start a line, hold none.
	findsNothing(t, all,
		"order 20250729 x", "serial 20250729101599", "ref 4202507291015001", "|20251345|", "|2025072925|",
		"|20250729x|", "20250729T9999", "20250729T10", ":20:STMT250729\n", "x:30:250729\n",
		":28C:250729/001\n",
	)
	// A range's times are two only with minutes both; four digits after
	// a date are a time only in an X12 segment; a SIN's three groups are
	// no Dublin number.
	findsNothing(t, all, "ratio 3:1-2:0", "QTY*123456*7890*x~", "SIN 015 916 525", "ref 09-2741866")
	// A version dated as IAM and API schemas date it is no date; a
	// Message-ID logged inline is no address; a number under its own
	// label is not a phone's; an id column's numbers are ids.
	findsNothing(t, all,
		`{"Version": "2012-10-17", "Statement": []}`, `{"SchemaVersion":"2018-10-08"}`, "apiVersion: 2024-01-01",
		"qmgr: message-id=<852129036273.692c2300cc@smtp.riverbend-motors.com>",
		"Tel: x\nPO number: 9921186444", "txn,tag_id,amount\n1,082-71290944,1.97\n", "sku 241016ABC1", "lot 234 183 500",
	)
	// A mail's Message-ID, in its header or a trace's column, is no
	// address; a placeholder BIC is no BIC; an id column's Indian-shaped
	// number is an id.
	findsNothing(t, all,
		"Message-ID: <CAF8x2Lq0=Tn7cW@mail.gmail.com>\n",
		"\"sender\",\"message_id\",\"x\"\n\"a\",\"<e9a4a8d1f3c1.4f1a@docusign.net>\",\"y\"\n",
		"{'bic': 'XXXXDEFF'}", "request,account,x\nRO-1,88412-09911,y\n", "version 1.2.3.4.5 > x",
		"PM2.5 and 13pm", "ref 12 3456 7890",
	)
	// A lone "a" after a time is a word, not "am"; a ratio is no date.
	assert.Equal(t, []found{{detect.DATE_TIME, "10:30"}}, find(all, "ratio 1/2 and 10:30 a record"))
	// A record's date may end the input (no separator after it).
	assert.Equal(t, []found{{detect.DATE_TIME, "20251015234634"}}, find(all, "MSH|x|20251015234634"))
	// Dates are found as DATE_TIME, never as another type.
	for _, s := range []string{"2024-01-15T10:23:45Z", "2024-01-15", "01/15/2024", "Jan 15, 2024", "10:23:45"} {
		for _, f := range find(all, "at "+s+" ok") {
			assert.Equal(t, detect.DATE_TIME, f.Type, "%q", s)
		}
	}
}

func TestTypesAndThreshold(t *testing.T) {
	s := "ssn 536-22-1234 mail a@example.com"
	got := find(detect.Config{Types: detect.SetOf(detect.EMAIL), Threshold: 0.5}, s)
	assert.Equal(t, []found{{detect.EMAIL, "a@example.com"}}, got)
	// A plain 9-digit number with no label is low confidence: found at
	// 0.3, not at 0.5.
	low := detect.Config{Types: detect.All, Threshold: 0}
	assert.NotEmpty(t, find(low, "id 536221234"))
	assert.Empty(t, find(all, "id 536221234"))
	ms := detect.Find(all, []byte("SSN: 536-22-1234, 536-22-1234"))
	require.Len(t, ms, 2)
	assert.Greater(t, ms[0].Score, ms[1].Score, "a label raises confidence")
}

// In a CSV or TSV table the header names each value's column, and a
// column's name is context as a label before the value would be.
func TestColumnContext(t *testing.T) {
	rows := "E1,Chen Jing,028341709,5294130785\nE2,Olga Petrova,077602075,4010232137\n"
	plain := find(all, rows)
	assert.Empty(t, plain, "without a header, bare nine- and ten-digit numbers are too weak")
	for _, delim := range []string{",", "\t", ";", "|"} {
		hdr := strings.ReplaceAll("employee_id,name,routing_number,nhs_no\n", ",", delim)
		doc := hdr + strings.ReplaceAll(rows, ",", delim)
		assert.Equal(t, []found{
			{detect.BANK_ROUTING, "028341709"}, {detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER, "5294130785"},
			{detect.BANK_ROUTING, "077602075"}, {detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER, "4010232137"},
		}, find(all, doc), "delimiter %q", delim)
	}
	// A blank line ends the table, and a row with another number of fields
	// is not in it (the filler keeps the header line out of the text
	// window).
	filler := "E0,Ann Example,not a number at all here\n"
	assert.Empty(t, find(all, "id,name,routing_number\n"+filler+"\nE2,Olga,077602075\n"))
	assert.Empty(t, find(all, "id,name,routing_number\n"+filler+"E2,Olga,077602075,extra\n"))
	assert.Equal(t, []found{{detect.BANK_ROUTING, "077602075"}}, find(all, "id,name,routing_number\n"+filler+"E2,Olga,077602075\n"))
	// A value in a column of phone numbers is a phone number, whatever
	// the header line says elsewhere.
	assert.Equal(t, []found{{detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER, "315 827 9401"}},
		find(all, "nhs_no,surname,mobile\n315 827 9401,Whitaker,\n"))
	// The column's name wins over a word earlier on the row: in a 1099
	// export "SSN" names the TIN type, not the routing number (which is
	// a valid SSN too).
	assert.Equal(t, []found{{detect.SSN, "372886494"}, {detect.BANK_ROUTING, "322271627"}},
		find(all, "id,tin_type,tin,routing_number,account\n1,SSN,372886494,322271627,12345\n"))
	// A well-known example value under an SSN column is masked.
	assert.Equal(t, []found{{detect.SSN, "123-45-6789"}}, find(all, "name,ssn\nBob,123-45-6789\n"))
}

// Tables as real exports write them, and text that only looks like one.
func TestColumnContextEdges(t *testing.T) {
	filler := "E0,Ann Example,not a number at all here\n"
	for _, tc := range []struct {
		name, text string
		want       []found
	}{
		{"after a leading blank line", "\nid,name,routing_number\n" + filler + "E2,Olga,077602075\n",
			[]found{{detect.BANK_ROUTING, "077602075"}}},
		{"after a byte order mark", "\xef\xbb\xbfid,name,routing_number\n" + filler + "E2,Olga,077602075\n",
			[]found{{detect.BANK_ROUTING, "077602075"}}},
		{"with an unnamed index column", ",name,routing_number\n0,Ann Example,not a number at all here\n1,Olga,077602075\n",
			[]found{{detect.BANK_ROUTING, "077602075"}}},
		{"with a quoted name holding the delimiter", `"id","name, full",routing_number` + "\n" + filler + `E2,"Petrova, Olga",077602075` + "\n",
			[]found{{detect.BANK_ROUTING, "077602075"}}},
		{"key and value in cells", "field,value,note\nname,Olga,x\nrouting,021000021,x\n",
			[]found{{detect.BANK_ROUTING, "021000021"}}},
		{"prose with commas", "Hi Bob, Alice, and Carol\nMy SSN, as requested, is 536221234\n",
			[]found{{detect.SSN, "536221234"}}},
		{"after a malformed row", "id,name,routing_number\n" + filler + "E1,Chen,x,extra field\nE2,Olga,077602075\n",
			[]found{{detect.BANK_ROUTING, "077602075"}}},
		{"with a malformed first row", "id,name,routing_number\nE1,Chen, Jing," + strings.Repeat("x", 150) + "\nE2,Olga,077602075\n",
			[]found{{detect.BANK_ROUTING, "077602075"}}},
	} {
		assert.Equal(t, tc.want, find(all, tc.text), tc.name)
	}
}

// ",ddd" after a time is milliseconds in a log line, the next field in a
// CSV line.
func TestMillisecondsOrNextField(t *testing.T) {
	for text, want := range map[string][]found{
		"2024-01-15 10:23:45,415 INFO start": {{detect.DATE_TIME, "2024-01-15 10:23:45,415"}},
		"2024-01-15 10:23:45,415-555-2671,x": {{detect.DATE_TIME, "2024-01-15 10:23:45"}, {detect.PHONE, "415-555-2671"}},
		"2024-01-15 10:23:45,536-22-1234,x":  {{detect.DATE_TIME, "2024-01-15 10:23:45"}, {detect.SSN, "536-22-1234"}},
		"2024-01-15 10:23:45,200,GET":        {{detect.DATE_TIME, "2024-01-15 10:23:45"}},
	} {
		assert.Equal(t, want, find(all, text), text)
	}
}

// Without DATE_TIME, a timestamp is passed over whole, and what touches
// it is still found.
func TestTimestampsNotAskedFor(t *testing.T) {
	cfg := detect.Config{Types: detect.All &^ detect.SetOf(detect.DATE_TIME), Threshold: 0.5}
	for _, tc := range []struct {
		text string
		want []found
	}{
		{`{"ts":"2026-07-14T07:39:01.228Z","ip":"10.1.2.3"}`, []found{{detect.IP_ADDRESS, "10.1.2.3"}}},
		{"2026-07-14 415-555-2671", []found{{detect.PHONE, "415-555-2671"}}},
		{"2026-07-14T07:39:01-05:00:1a:2b:3c:4d", []found{{detect.MAC_ADDRESS, "05:00:1a:2b:3c:4d"}}},
		{"2026-07-14T07:39Z fe80::1ff:fe23:4567:890a up", []found{{detect.IP_ADDRESS, "fe80::1ff:fe23:4567:890a"}}},
		{"at 2026-07-14T07:39:01+02:00, fine", nil},
		{"secret 2024-01-15T10:23:45/alrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE ok", []found{{detect.AWS_SECRET_KEY, "45/alrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE"}}},
	} {
		assert.Equal(t, tc.want, find(cfg, tc.text), tc.text)
		assert.NotEmpty(t, find(all, tc.text), "with DATE_TIME: %s", tc.text)
	}
}

func TestLongURLContinues(t *testing.T) {
	u := "https://example.com/" + strings.Repeat("a", 9000)
	ms := detect.Find(all, []byte("x "+u+" y"))
	require.NotEmpty(t, ms)
	assert.Equal(t, 2, ms[0].Start)
	assert.Equal(t, 2+len(u), ms[len(ms)-1].End, "the whole URL is covered")
	for i, m := range ms[1:] {
		assert.True(t, m.Cont)
		assert.Equal(t, ms[i].End, m.Start)
	}
}

// scanChunked runs a Scanner as a streaming caller does: keep Lookback
// bytes of history, feed chunks, shift. A match that starts more than
// MaxBack before a position Pos has passed breaks the promise that those
// bytes are decided (a caller has already written them out); it panics.
func scanChunked(cfg detect.Config, data []byte, r *rand.Rand, maxChunk int) []detect.Match {
	s := detect.New(cfg)
	var buf []byte
	var out []detect.Match
	base, off, decided := 0, 0, 0
	for {
		n := 1 + r.IntN(maxChunk)
		eof := off+n >= len(data)
		end := min(len(data), off+n)
		buf = append(buf, data[off:end]...)
		off = end
		before := len(out)
		out = s.Scan(buf, eof, out)
		for i := before; i < len(out); i++ {
			out[i].Start += base
			out[i].End += base
			if out[i].Start < decided-detect.MaxBack {
				panic(fmt.Sprintf("match %+v starts more than MaxBack before %d, which Pos had passed", out[i], decided))
			}
		}
		decided = base + s.Pos()
		if eof {
			return out
		}
		drop := min(s.Pos()-detect.Lookback, s.Last()) // keep the history
		if drop > 0 {
			buf = append(buf[:0], buf[drop:]...)
			s.Shift(drop)
			base += drop
		}
	}
}

func sample(r *rand.Rand, n int) []byte {
	parts := []string{"mail john.doe@example.com ", "call (415) 555-2671 ", "SSN 536-22-1234 ", "4111 1111 1111 1111 ",
		"DE89 3704 0044 0532 0130 00 ", "ip 10.1.2.3 ", "fe80::1 ", "00:1a:2b:3c:4d:5e ", "https://example.com/x?y=z ",
		"AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ", "2024-01-15T10:23:45Z ", "version 1.2.3.4 ",
		"plain words here ", "\n", "é ü 日本 ", "12345 ", "www.example.org ", "+44 20 7946 0958 ", "VIN 1HGCM82633A004352 ",
		"x@", "@y.com ", "::", "https://", strings.Repeat("z", 50),
		"07758 504408 ", "020 7617 3192 ", "68006 44079 ", "06 12 34 56 78 ", "(030) 1234567 ", "022-92879476 ",
		"809A.7E8A.CD56 ", "cd56.7e8a.809a ", "de-b2-c2-f7-32-91 ", "zb630500b ", "jh4ka7561pc008269 ",
		"de89 3704 0044 0532 0130 00 ", "16th of April 1955 ", "secret qsJGalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE1 ",
		"4539 1488 0343 6468 ", "9400 1118 9922 3334 5678 41 ", "SSN 123-45-6789 ", "phone (555) 123-4567 ",
		"tin,routing_number\nSSN,322271627\n", "-", ".", "ab",
		"0330 088 4410 ", "0091 89560 22714 ", "1 (403) 555-0101 ", "3032.8c5f.c273 ", "fe80::5c1e:aa12:7b44:9d10%14 ",
		"Mon 1 June 2026 at 09:12 ", "Thursday, 4 June ", "June 5 ", "Sept 2021 ", "[14:21] ", "02/06/26, 8:14 pm ",
		"le 2 juin 2026 à 10 h 14 ", "3. Juni 1962 ", "NHS ", "ITIN ", "Aadhaar ", "943 476 5919 ", "931791234 ",
		"587371678684 ", "bytes=535326502014 ", "\u2446236630626\u2446 ", "· COBADEFF ", "VERIFIED ",
		"+rV0QrjOrT7VbPU+HtBG3W+BlFnJHTgLdi8cCyI8 ", strings.Repeat(" ", 900), "secret fm16c/HqhIzwC+x/gV7220ZU/PxR0V52lsMURKs4 ",
		"abc1/def/ghi+jkl ", "EFFECTIVE 20261230 ", "order 20261230 ", "AGPAJ4Q2ZLMX7EXAMPLE ",
		"\nname,iban,bic,mail\nA,IE91 WNOU 5113 5320 4222 26,bkxuie9m,a@b.io\nB,x,oslwptim,y\n",
		"\nNAME                ROUTING    ACCOUNT\n------------------- ---------  -------\nConnor Ogunleye     120863127  714664186\n\n",
		"DTSTART:20250729T100000Z ", "|19730517|F|", "|20251015234634+0100|", "DMG*D8*19800101*M~", "*TE*6175551234~ ",
		"\n:61:2507290729D1234,56NTRF\n", "\n:60F:C250728EUR1,0\n", "29 luglio 2025 alle 10:30 ", "2025年7月29日 14時30分 ",
		"be05 7680 1988 3923 / bic gkccbebb ",
		"ISA*00*ZZ*230714*2021*^*0~", "Credential=AKIAIOSFODNN7EXAMPLE/20250216/x ", "\"18:28-20:59\" ",
		"\nINSERT INTO t (id, ssn) VALUES\n  (1, '512345678'),\n", "\nSSN         LAST NAME       DOB\n289929771   MOREAU          19711227\n",
		"\n   patient_id   nhs_number\n0     P702739   9434765919\n", "rb+Qa+KvKxr7PGJ56iZ54wV9p+eMN+6gDk0Sb/Oo ", "pj 104417 a ",
		"::ffff:94.120.44.239:42762 ", "\"32A\":\"241016USD12194,4\" ",
		"52=20250729-13:30:00.002|56=B ", "(0008,0030) TM [141502.118] ", "DTM+137:20250729:102' ", "2025년 7월 31일 오후 6시 ",
		"192.168.16.195.40112 > 192.168.1.66.53: ", "COM+ap@x.nl:EM' ",
	}
	var b bytes.Buffer
	for b.Len() < n {
		b.WriteString(parts[r.IntN(len(parts))])
	}
	return b.Bytes()
}

// TestChunkingIsInvisible: any chunking gives the matches of one scan of
// the whole input.
func TestChunkingIsInvisible(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	runs := 40
	if testing.Short() {
		runs = 8
	}
	for i := range runs {
		data := sample(r, 20000+r.IntN(20000))
		want := detect.Find(all, data)
		for _, maxChunk := range []int{1 + r.IntN(16), 1 + r.IntN(5000), 1 + r.IntN(20000)} {
			got := scanChunked(all, data, r, maxChunk)
			require.Equal(t, want, got, "run %d, chunks up to %d", i, maxChunk)
		}
	}
}

func FuzzScan(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	f.Add([]byte("mail john.doe@example.com SSN 536-22-1234 call (415) 555-2671"), uint16(7))
	f.Add(sample(r, 2000), uint16(100))
	f.Add([]byte("https://"+strings.Repeat("a", 5000)), uint16(1000))
	f.Add([]byte("::ffff:1.2.3.4 1.2.3.4.5 +1 (415) 555-2671 AKIAIOSFODNN7EXAMPLE,wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), uint16(3))
	f.Add([]byte("id,name,routing_number,nhs_no\nE1,\"Chen, Jing\",028341709,5294130785\n\nE2,x,077602075,1\n"), uint16(9))
	f.Add([]byte("Date: Tue, 14 Jul 2026 09:12:33 -0700\nJul  4 03:16:02 h: 14/Jul/2026:10:24:09 +0000 03:18 UTC"), uint16(11))
	f.Add([]byte("07758 504408 (030) 1234567 06 12 34 56 78 68006 44079 022-92879476 9c00.633f.ca96 de-b2-c2-f7-32-91"), uint16(5))
	f.Add([]byte("zb630500b sc 29 58 96 c wvwzzz1jzxw000001 de89 3704 0044 0532 0130 00 16th of April 1955"), uint16(13))
	f.Add([]byte("(secret qsJGalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE1, key AKIAIOSFODNN7EXAMPLE / zD+JealrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPL1)"), uint16(17))
	f.Add([]byte("9400 1118 9922 3334 5678 41 SE62 7012 3456 7890 1234 1944 tin,routing_number\nSSN,322271627\n"), uint16(2))
	f.Add([]byte("MSH|^~\\&|A|B|20251015234634+0100||\nDTP*472*D8*20250729~PER*IC*J*TE*6175551234~\n:13D:2507291023+0100\n:61:2507290729D1,0\nDTSTAMP:20250729T101500.25Z"), uint16(6))
	f.Add([]byte("MSH|x|20251015234634"), uint16(1))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint16) {
		want := detect.Find(all, data)
		last := 0
		for _, m := range want {
			if m.Start < last || m.End <= m.Start || m.End > len(data) {
				t.Fatalf("bad match %+v after %d in %d bytes", m, last, len(data))
			}
			if !utf8.Valid(data[m.Start:m.End]) {
				t.Fatalf("match %+v is not whole UTF-8 characters", m)
			}
			last = m.End
		}
		got := scanChunked(all, data, rand.New(rand.NewPCG(uint64(chunk), 1)), int(chunk)%8192+1)
		if fmt.Sprint(want) != fmt.Sprint(got) {
			t.Fatalf("chunked scan differs:\n%v\n%v", want, got)
		}
	})
}

// TestTopics: a bare number that passes its type's checks is taken as one
// where the type was named or found shortly before, and not elsewhere.
func TestTopics(t *testing.T) {
	filler := strings.Repeat("nothing to see here. ", 60) // past topicWindow
	for _, tc := range []struct {
		text string
		want []found
	}{
		{"== NHS register ==\n943 476 5919 | Ms A\n988 754 1877 | Mr B\n982 828 8072 | Mr C (fails mod 11)\n",
			[]found{{detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER, "943 476 5919"}, {detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER, "988 754 1877"}}},
		// A UK record (an NI number found) makes NHS numbers the topic too.
		{"NI AB123456C | 07700 900 318\n988 754 1877 | Mr B\n",
			[]found{{detect.UK_NATIONAL_INSURANCE_NUMBER, "AB123456C"}, {detect.PHONE, "07700 900 318"}, {detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER, "988 754 1877"}}},
		// 555 is a North American exchange, whatever the topic.
		{"NHS 943 476 5919, call 819-555-0193",
			[]found{{detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER, "943 476 5919"}, {detect.PHONE, "819-555-0193"}}},
		{"ITIN renewals, no dashes on the letters:\n  931791234  Ms A\n",
			[]found{{detect.US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER, "931791234"}}},
		{"SIN 130 692 544 | 587838483 | 772616751",
			[]found{{detect.CA_SOCIAL_INSURANCE_NUMBER, "130 692 544"}, {detect.CA_SOCIAL_INSURANCE_NUMBER, "587838483"}, {detect.CA_SOCIAL_INSURANCE_NUMBER, "772616751"}}},
		{"Aadhaar re-KYC\nmummy ka 587371678684\n" + strings.Repeat("-", 60) + "\n{\"bytes=535326502014\"}",
			[]found{{detect.IN_AADHAAR, "587371678684"}}},
		{"AKIAIOSFODNN7EXAMPLE\nqsJGalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE1",
			[]found{{detect.AWS_ACCESS_KEY, "AKIAIOSFODNN7EXAMPLE"}, {detect.AWS_SECRET_KEY, "qsJGalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE1"}}},
		{"AKIAIOSFODNN7EXAMPLE\n\nleaked too: +rV0QrjOrT7VbPU+HtBG3W+BlFnJHTgLdi8cCyI8 ·",
			[]found{{detect.AWS_ACCESS_KEY, "AKIAIOSFODNN7EXAMPLE"}, {detect.AWS_SECRET_KEY, "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"}}},
		// A word of capitals on the line after an IBAN is no SWIFT code.
		{"IBAN DE89 3704 0044 0532 0130 00\nHDFC0001234\tVERIFIED\tdone",
			[]found{{detect.INTERNATIONAL_BANK_ACCOUNT_NUMBER, "DE89 3704 0044 0532 0130 00"}}},
		// NHS numbers named a line up are not phones because a header
		// further along says "Contact"; a header's NHSNUMBER names them.
		{"Time   Patient              NHS number     Contact\n08:30  Elodie Alves         973 447 4898  01904 817929\n",
			[]found{{detect.DATE_TIME, "08:30"}, {detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER, "973 447 4898"}, {detect.PHONE, "01904 817929"}}},
		{"NHSNUMBER   SPECIALTY        WEEKS  CONTACT\n6391022461  Orthopaedics     24746     07882 916198\n",
			[]found{{detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER, "6391022461"}, {detect.PHONE, "07882 916198"}}},
		// A phone label right before one keeps it a phone.
		{"NHS 943 476 5919\nphone: 988 754 1877\n",
			[]found{{detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER, "943 476 5919"}, {detect.PHONE, "988 754 1877"}}},
		// In a list of VINs, a European one whose maker uses no check
		// digit (a letter in its place) is one; a digit there that fails
		// is a mistyped VIN.
		{"affected vehicles:\n  1FTKDBBH6E3552262\n  SALVDE12ETS821891\n  WBAF727B8V5472444\n",
			[]found{{detect.VEHICLE_IDENTIFICATION_NUMBER, "1FTKDBBH6E3552262"}, {detect.VEHICLE_IDENTIFICATION_NUMBER, "SALVDE12ETS821891"}}},
		// Out of the window, or never named: nothing (or a phone number).
		{"NHS\n" + filler + "988 754 1877 | ITIN\n" + filler + "931791234 Aadhaar\n" + filler + "587371678684",
			[]found{{detect.PHONE, "988 754 1877"}}},
		{"988 754 1877, 931791234, 587371678684, 587838483, +rV0QrjOrT7VbPU+HtBG3W+BlFnJHTgLdi8cCyI8",
			[]found{{detect.PHONE, "988 754 1877"}}},
	} {
		assert.Equal(t, tc.want, find(all, tc.text), "in %q", tc.text)
	}
}

// Tables whose columns say what a value is: a fixed-width report under a
// rule, a CSV column of SWIFT codes typed in lower case, and a column of
// codes in a table's cells.
func TestTableColumns(t *testing.T) {
	report := "NAME                ROUTING    ACCOUNT        AMOUNT\n" +
		"------------------- ---------  -------------  ----------\n" +
		"Connor Ogunleye     120863127  714664186         4279.14\n" +
		"Siobhan Menon       128533064  26979921489       1469.00\n"
	assert.Equal(t, []found{{detect.BANK_ROUTING, "120863127"}, {detect.BANK_ROUTING, "128533064"}}, find(all, report))
	dated := "NAME                ROUTING    EFFECTIVE\n" +
		"------------------- ---------  ---------\n" +
		"Connor Ogunleye     120863127  20261230\n" +
		"order 20261230 shipped\n"
	assert.Equal(t, []found{{detect.BANK_ROUTING, "120863127"}, {detect.DATE_TIME, "20261230"}}, find(all, dated),
		"yyyymmdd is a date under a label only")

	csv := "name,iban,bic,mail\n" +
		"Dana,IE91 WNOU 5113 5320 4222 26,bkxuie9m,dana@example.ie\n" +
		"Tiago,x,oslwptim,\"t@example.pt\"\n" +
		"Zed,y,notacode1,z\n"
	assert.Equal(t, []found{
		{detect.INTERNATIONAL_BANK_ACCOUNT_NUMBER, "IE91 WNOU 5113 5320 4222 26"}, {detect.SWIFT_CODE, "bkxuie9m"}, {detect.EMAIL, "dana@example.ie"},
		{detect.SWIFT_CODE, "oslwptim"}, {detect.EMAIL, "t@example.pt"},
	}, find(all, csv))

	// Column names in any language.
	tsv := "NAS / SIN\tNom / Name\tRégime\tTéléphone\n" +
		"264 461 161\tBeatriz Reddy\tCouple\t306 528-7314\n"
	ms := detect.Find(all, []byte(tsv))
	require.Len(t, ms, 2)
	assert.Equal(t, []detect.Entity{detect.CA_SOCIAL_INSURANCE_NUMBER, detect.PHONE}, []detect.Entity{ms[0].Type, ms[1].Type})
	assert.Equal(t, []float32{0.95, 0.95}, []float32{ms[0].Score, ms[1].Score}, "both take their column's name")

	codes := "Ccy  Bank                 BIC          Account\n" +
		"JPY  Banco Ferreira Ltd   TAZHJPY4     12052140\n" +
		"INR  Banco Sato plc       WCXOINCR     7033423736680\n" +
		"Memo: PIERRE LINDGREN paid.\n"
	assert.Equal(t, []found{{detect.SWIFT_CODE, "TAZHJPY4"}, {detect.SWIFT_CODE, "WCXOINCR"}}, find(all, codes))

	// Tables as database shells and Markdown print them: a rule under the
	// header, psql's rows indented like its header.
	psql := " id | name | ssn       | routing\n" +
		"----+------+-----------+-----------\n" +
		"  1 | Ann  | 512345678 | 021000021\n" +
		"(1 row)\n"
	mysql := "+----+-----------+-----------+\n" +
		"| id | ssn       | routing   |\n" +
		"+----+-----------+-----------+\n" +
		"|  1 | 512345678 | 021000021 |\n" +
		"+----+-----------+-----------+\n"
	markdown := "| id | ssn | routing |\n|---|:---|---:|\n| 1 | 512345678 | 021000021 |\n"
	for _, table := range []string{psql, mysql, markdown} {
		assert.Equal(t, []found{{detect.SSN, "512345678"}, {detect.BANK_ROUTING, "021000021"}}, find(all, table), "%s", table)
	}
	// An INSERT's column list names the values of its tuples, on its
	// line or the next; a fixed-width report whose first row lines up
	// with its header has columns without a rule; a title line ends a
	// table, and the next one's header is read as a header.
	insert := "INSERT INTO `customers` (`id`, `name`, `ssn`, `routing`) VALUES\n" +
		"  (1, 'Ann O\\'Neil, Jr', '512345678', '021000021'),\n" +
		"  (2, 'Bo', '523456789', '026009593');\n" +
		"INSERT INTO t (id, ssn) VALUES (3, '534567890'), (4, '545678901');\n" +
		"SELECT 556789012;\n"
	assert.Equal(t, []found{{detect.SSN, "512345678"}, {detect.BANK_ROUTING, "021000021"}, {detect.SSN, "523456789"},
		{detect.BANK_ROUTING, "026009593"}, {detect.SSN, "534567890"}, {detect.SSN, "545678901"}}, find(all, insert))
	ssnvs := "SSN         LAST NAME       DOB         RESULT\n" +
		"420601163   WILSON          19880814    3 NAME MISMATCH\n"
	assert.Equal(t, []found{{detect.SSN, "420601163"}, {detect.DATE_TIME, "19880814"}}, find(all, ssnvs))
	assert.Empty(t, find(all, "NAME  is  here  now\n420601163   19880814 x\n"), "a line of gaps over a row that does not line up")
	two := "name\tsin\tx\nAnn\t046454286\t1\n===== next =====\nname\trouting\tx\nBo\t279122816\t2\n"
	assert.Equal(t, []found{{detect.CA_SOCIAL_INSURANCE_NUMBER, "046454286"}, {detect.BANK_ROUTING, "279122816"}}, find(all, two))
	// A TSV's cell of m/d/yy is a date; a dotted one is as often a
	// version; an IP-shaped version under a firmware column is no address.
	cells := "name\tlast_paid\track\nAnn\t1/11/25\t15.12.49\n"
	assert.Equal(t, []found{{detect.DATE_TIME, "1/11/25"}}, find(all, cells))
	inventory := "| host | ip | firmware |\n|---|---|---|\n| ap | 172.30.202.21 | 6.7.7.59 |\n"
	assert.Equal(t, []found{{detect.IP_ADDRESS, "172.30.202.21"}}, find(all, inventory))
	// An unruled report lines up in characters, not bytes; it ends at a
	// line that does not line up, so a TSV after it has its own header.
	unruled := "SSN         LAST NAME       DOB\n" +
		"289929771   MOREAU          19711227\n" +
		"733325326   RUAIRÍ          19810131\n" +
		"Placeholder values excluded\n" +
		"name\tsin\tx\nAnn\t046454286\t1\n"
	assert.Equal(t, []found{{detect.SSN, "289929771"}, {detect.DATE_TIME, "19711227"}, {detect.SSN, "733325326"},
		{detect.DATE_TIME, "19810131"}, {detect.CA_SOCIAL_INSURANCE_NUMBER, "046454286"}}, find(all, unruled))
	// A NACHA file's records: the file header's routing numbers and
	// creation stamp, a batch's dates, an entry's receiving bank.
	pad := func(r string) string { return r + strings.Repeat(" ", 94-len(r)) + "\n" }
	ach := pad("101 706320385 0210000212507291015A094101JPMORGAN CHASE BANK    NORTHWIND") +
		pad("5200NORTHWIND TOOLS                     1840293751PPDPAYROLL   250731250731   1072000030000001") +
		pad("6221264089974410029317       0000184322EMP01041       ESPINOZA MARIA          0072000030000001")
	assert.Equal(t, []found{{detect.BANK_ROUTING, "706320385"}, {detect.BANK_ROUTING, "021000021"}, {detect.DATE_TIME, "2507291015"},
		{detect.DATE_TIME, "250731"}, {detect.DATE_TIME, "250731"}, {detect.BANK_ROUTING, "126408997"}}, find(all, ach))
	// A report prints numbers right-aligned and text left; a wide CSV row
	// keeps its columns past Lookback; a column may name its cells in
	// the plural.
	mixed := " No  Registration  Make/Model              Chassis / VIN\n" +
		"  1  YK21 OXF      Ford Transit 350        VF1RFA28MBPC32153\n"
	assert.Equal(t, []found{{detect.VEHICLE_IDENTIFICATION_NUMBER, "VF1RFA28MBPC32153"}}, find(all, mixed))
	wide := "id,note,routing\n1," + strings.Repeat("x", 150) + ",021000021\n"
	assert.Equal(t, []found{{detect.BANK_ROUTING, "021000021"}}, find(all, wide))
	plural := "id\tstatus\tdependent_tins\n1\tA\t289998915\n"
	assert.Equal(t, []found{{detect.SSN, "289998915"}}, find(all, plural))
	// A rotation's CSV lists an old and a new access key before the new
	// secret: both keys are found, and the secret after them.
	rotation := "profile,old_access_key_id,new_access_key_id,new_secret_access_key\n" +
		"svc,AKIAVBLJ2U6FZPYT4WI7,AKIA5HR2ZAEK2JIMMH6W,n24G3v6psValVOEaByxuVkzTUU55B1k8iaDXpW1B\n"
	assert.Equal(t, []found{{detect.AWS_ACCESS_KEY, "AKIAVBLJ2U6FZPYT4WI7"}, {detect.AWS_ACCESS_KEY, "AKIA5HR2ZAEK2JIMMH6W"},
		{detect.AWS_SECRET_KEY, "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"}}, find(all, rotation))
	// Amounts written with a thousands separator and no quotes do not
	// hide a CSV's columns; route= and rdfi= label routing numbers.
	amounts := "emp_id,name,routing,account,net_pay,pay_date\nEMP1,Liam,678295933,89213463,36,161.27,02/22/2025\n"
	assert.Contains(t, find(all, amounts), found{detect.BANK_ROUTING, "678295933"})
	assert.Contains(t, find(all, "net=91,359.51 route=651755652 acct=1046"), found{detect.BANK_ROUTING, "651755652"})
	assert.Contains(t, find(all, "trace=2743501573508901 rdfi=729929873 receiver"), found{detect.BANK_ROUTING, "729929873"})
	// pandas prints a frame right-aligned, its header indented.
	frame := "   patient_id           name    nhs_number\n" +
		"0     P702739   Harry Hughes    9434765919\n" +
		"1     P578780  Freya Roberts  943 476 5919\n"
	assert.Equal(t, []found{{detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER, "9434765919"}, {detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER, "943 476 5919"}},
		find(detect.Config{Types: detect.SetOf(detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER), Threshold: 0.5}, frame))
	indented := "  client  taxpayer_id  routing\n  T-0301  512345678    021000021\n"
	assert.Equal(t, []found{{detect.SSN, "512345678"}, {detect.BANK_ROUTING, "021000021"}}, find(all, indented))
	// A blank line ends psql's table: its columns name nothing after it.
	assert.Equal(t, []found{{detect.SSN, "512345678"}, {detect.BANK_ROUTING, "021000021"}},
		find(all, psql+"\n  2 | Bo   | 523456789 | x\n"))
}
