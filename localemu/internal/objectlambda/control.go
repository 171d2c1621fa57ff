package objectlambda

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/olkit/olkit/localemu/internal/s3api"
	"github.com/olkit/olkit/s3err"
)

// The S3 Control API's Object Lambda access point operations, at
// /v20180820/accesspointforobjectlambda[/{name}[/configuration]], with or
// without the "{account-id}." host prefix SDKs add.
const controlPrefix = "/v20180820/accesspointforobjectlambda"

type olConfiguration struct {
	SupportingAccessPoint    string
	CloudWatchMetricsEnabled bool               `xml:",omitempty"`
	AllowedFeatures          []string           `xml:"AllowedFeatures>AllowedFeature,omitempty"`
	Transformations          []olTransformation `xml:"TransformationConfigurations>TransformationConfiguration"`
}

type olTransformation struct {
	Actions         []string `xml:"Actions>Action"`
	FunctionArn     string   `xml:"ContentTransformation>AwsLambda>FunctionArn"`
	FunctionPayload string   `xml:"ContentTransformation>AwsLambda>FunctionPayload,omitempty"`
}

type olAlias struct {
	Value  string
	Status string
}

const controlNS = "http://awss3control.amazonaws.com/doc/2018-08-20/"

func (h *Handler) control(w http.ResponseWriter, r *http.Request) {
	route := s3api.Route{Op: "S3Control"}
	auth, err := h.cfg.Auth.Verify(r, "")
	if err != nil {
		h.cfg.API.Fail(w, r, route, err)
		return
	}
	defer auth.Body.Close()
	rest, ok := strings.CutPrefix(r.URL.Path, controlPrefix)
	if !ok {
		h.cfg.API.Fail(w, r, route, s3err.New(http.StatusNotImplemented, "NotImplemented", "localemu implements only the Object Lambda access point operations of S3 Control"))
		return
	}
	if acct := r.Header.Get("X-Amz-Account-Id"); acct != "" && acct != h.cfg.Account {
		h.cfg.API.Fail(w, r, route, s3err.New(http.StatusForbidden, "AccessDenied", "this emulator plays account %s, not %s", h.cfg.Account, acct))
		return
	}
	name, sub, _ := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
	err = h.controlOp(w, r, auth.Body, name, sub)
	if err != nil {
		route.Key = name
		h.cfg.API.Fail(w, r, route, err)
	}
}

func (h *Handler) controlOp(w http.ResponseWriter, r *http.Request, body io.Reader, name, sub string) error {
	switch {
	case name == "" && r.Method == http.MethodGet:
		return h.listAccessPoints(w)
	case sub == "" && r.Method == http.MethodPut:
		var req struct {
			Configuration olConfiguration
		}
		if err := decodeXML(body, &req); err != nil {
			return err
		}
		if _, exists := h.aps.get(name); exists {
			return s3err.New(http.StatusConflict, "AccessPointAlreadyOwnedByYou", "An access point named %s already exists", name)
		}
		if err := h.putConfiguration(name, req.Configuration); err != nil {
			return err
		}
		return writeControl(w, struct {
			XMLName xml.Name `xml:"CreateAccessPointForObjectLambdaResult"`
			NS      string   `xml:"xmlns,attr"`
			Arn     string   `xml:"ObjectLambdaAccessPointArn"`
			Alias   olAlias
		}{NS: controlNS, Arn: h.ARN(name), Alias: olAlias{h.Alias(name), "READY"}})
	case sub == "" && r.Method == http.MethodGet:
		ap, ok := h.aps.get(name)
		if !ok {
			return noSuchAccessPoint(name)
		}
		return writeControl(w, struct {
			XMLName      xml.Name `xml:"GetAccessPointForObjectLambdaResult"`
			NS           string   `xml:"xmlns,attr"`
			Name         string
			CreationDate string
			Alias        olAlias
		}{NS: controlNS, Name: ap.Name, CreationDate: ap.Created.Format(time.RFC3339), Alias: olAlias{h.Alias(name), "READY"}})
	case sub == "" && r.Method == http.MethodDelete:
		if !h.aps.delete(name) {
			return noSuchAccessPoint(name)
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	case sub == "configuration" && r.Method == http.MethodGet:
		ap, ok := h.aps.get(name)
		if !ok {
			return noSuchAccessPoint(name)
		}
		return writeControl(w, struct {
			XMLName       xml.Name `xml:"GetAccessPointConfigurationForObjectLambdaResult"`
			NS            string   `xml:"xmlns,attr"`
			Configuration olConfiguration
		}{NS: controlNS, Configuration: h.configurationOf(ap)})
	case sub == "configuration" && r.Method == http.MethodPut:
		var req struct {
			Configuration olConfiguration
		}
		if err := decodeXML(body, &req); err != nil {
			return err
		}
		if _, ok := h.aps.get(name); !ok {
			return noSuchAccessPoint(name)
		}
		if err := h.putConfiguration(name, req.Configuration); err != nil {
			return err
		}
		w.WriteHeader(http.StatusOK)
		return nil
	}
	return s3err.New(http.StatusNotImplemented, "NotImplemented", "localemu does not implement %s %s", r.Method, r.URL.Path)
}

func (h *Handler) listAccessPoints(w http.ResponseWriter) error {
	type item struct {
		Name  string
		Arn   string `xml:"ObjectLambdaAccessPointArn"`
		Alias olAlias
	}
	var items []item
	for _, ap := range h.aps.list() {
		items = append(items, item{ap.Name, h.ARN(ap.Name), olAlias{h.Alias(ap.Name), "READY"}})
	}
	return writeControl(w, struct {
		XMLName xml.Name `xml:"ListAccessPointsForObjectLambdaResult"`
		NS      string   `xml:"xmlns,attr"`
		Items   []item   `xml:"ObjectLambdaAccessPointList>ObjectLambdaAccessPoint"`
	}{NS: controlNS, Items: items})
}

// putConfiguration turns a Control API configuration into an access point:
// one transformation (S3 allows one function per access point).
func (h *Handler) putConfiguration(name string, c olConfiguration) error {
	if len(c.Transformations) != 1 {
		return s3err.InvalidRequest("an Object Lambda access point has exactly one transformation configuration, not %d", len(c.Transformations))
	}
	t := c.Transformations[0]
	ap := AccessPoint{Name: name, Bucket: bucketOf(c.SupportingAccessPoint), Function: t.FunctionArn, Payload: t.FunctionPayload,
		AllowedFeatures: c.AllowedFeatures, Actions: t.Actions}
	if err := h.Put(ap); err != nil {
		return s3err.InvalidRequest("%v", err)
	}
	return nil
}

func (h *Handler) configurationOf(ap *AccessPoint) olConfiguration {
	return olConfiguration{
		SupportingAccessPoint: "arn:aws:s3:" + h.cfg.Region + ":" + h.cfg.Account + ":accesspoint/" + ap.Bucket,
		AllowedFeatures:       ap.AllowedFeatures,
		Transformations: []olTransformation{{Actions: ap.Actions, FunctionPayload: ap.Payload,
			FunctionArn: "arn:aws:lambda:" + h.cfg.Region + ":" + h.cfg.Account + ":function:" + ap.Function}},
	}
}

// bucketOf takes the bucket from a supporting access point: an access
// point ARN names one of the emulator's buckets by its name.
func bucketOf(s string) string {
	if i := strings.LastIndex(s, ":accesspoint/"); i >= 0 {
		return s[i+len(":accesspoint/"):]
	}
	return s
}

func noSuchAccessPoint(name string) error {
	return s3err.New(http.StatusNotFound, "NoSuchAccessPoint", "The specified access point does not exist: %s", name)
}

func decodeXML(r io.Reader, v any) error {
	if err := xml.NewDecoder(io.LimitReader(r, 1<<20)).Decode(v); err != nil {
		return s3err.New(http.StatusBadRequest, "MalformedXML", "The XML you provided was not well-formed: %v", err)
	}
	return nil
}

func writeControl(w http.ResponseWriter, v any) error {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, xml.Header)
	return xml.NewEncoder(w).Encode(v)
}
