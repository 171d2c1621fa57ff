package localemu

import (
	"github.com/olkit/olkit/localemu/internal/function"
	"github.com/olkit/olkit/localemu/internal/objectlambda"
)

// Invoker runs a function on an Object Lambda event (JSON) and returns its
// result payload (JSON). Pass one to Server.Apply as the built-in function.
type Invoker = function.Invoker

// Func adapts an in-process Go handler, such as olkit's lambda.Handler.Invoke,
// to an Invoker.
type Func = function.Func

// AccessPoint is one Object Lambda access point of a Setup.
type AccessPoint = objectlambda.AccessPoint
