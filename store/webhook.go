package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// WebhookSecret is the secret_token of the Telegram webhook, shared by every
// instance on this database: the first caller creates it at random, the
// others read it.
func (s *Store) WebhookSecret(ctx context.Context) (string, error) {
	var doc struct {
		Value string `bson:"value"`
	}
	err := s.botState.FindOne(ctx, bson.M{"_id": "webhook_secret"}).Decode(&doc)
	if err == nil && doc.Value != "" {
		return doc.Value, nil
	}
	if err != nil && !isNoDocs(err) {
		return "", fmt.Errorf("read the webhook secret: %w", err)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	secret := base64.RawURLEncoding.EncodeToString(b) // A-Z a-z 0-9 _ -, as Telegram wants
	if _, err := s.botState.InsertOne(ctx, bson.M{"_id": "webhook_secret", "value": secret}); err != nil {
		if isDup(err) { // another instance created it first
			return s.WebhookSecret(ctx)
		}
		return "", fmt.Errorf("store the webhook secret: %w", err)
	}
	return secret, nil
}

// claimKey is the claim marker of an update, kept beside the processed
// markers (ProcessedSince skips it, PruneProcessed drops it with them).
func claimKey(updateID int) string { return "claim:" + strconv.Itoa(updateID) }

// ClaimUpdate takes, for lease, the right to handle a Telegram update among
// several instances: true when the caller holds it (nobody did, or the
// holder's lease ran out: it died while handling), false while another
// holds it. The caller checks Processed after claiming, and calls
// ReleaseUpdate after MarkProcessed (or after failing).
func (s *Store) ClaimUpdate(ctx context.Context, updateID int, owner string, lease time.Duration) (bool, error) {
	now := s.now().UTC().Truncate(time.Millisecond)
	doc := bson.M{"at": now, "until": now.Add(lease), "owner": owner}
	_, err := s.processed.InsertOne(ctx, bson.M{"_id": claimKey(updateID), "at": now, "until": now.Add(lease), "owner": owner})
	if err == nil {
		return true, nil
	}
	if !isDup(err) {
		return false, fmt.Errorf("claim update %d: %w", updateID, err)
	}
	r, err := s.processed.UpdateOne(ctx, bson.M{"_id": claimKey(updateID), "until": bson.M{"$lt": now}}, bson.M{"$set": doc})
	if err != nil {
		return false, fmt.Errorf("take over update %d: %w", updateID, err)
	}
	return r.ModifiedCount == 1, nil
}

// ReleaseUpdate drops the caller's claim on an update.
func (s *Store) ReleaseUpdate(ctx context.Context, updateID int, owner string) error {
	if _, err := s.processed.DeleteOne(ctx, bson.M{"_id": claimKey(updateID), "owner": owner}); err != nil {
		return fmt.Errorf("release update %d: %w", updateID, err)
	}
	return nil
}
