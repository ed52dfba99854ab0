package scheduler

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"
)

// alerter posts a failed or refused run to the operator's webhook as JSON.
type alerter struct {
	url    string
	log    *slog.Logger
	client *http.Client
}

// Alert is the JSON body posted to the webhook.
type Alert struct {
	Event string `json:"event"` // EventFailed, EventRefused or EventBlocked
	Run   *Run   `json:"run"`
}

func (a *alerter) send(event string, r *Run) {
	if a.url == "" {
		return
	}
	body, _ := json.Marshal(Alert{Event: event, Run: r})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.url, bytes.NewReader(body))
	if err != nil {
		a.log.Error("alert webhook", "error", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	client := a.client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		a.log.Error("alert webhook unreachable", "error", err)
		return
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		a.log.Error("alert webhook refused the alert", "status", resp.Status)
	}
}
