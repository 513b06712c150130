import * as vscode from 'vscode';
import * as conv from './conversations';

/** What the history list does to the chat's conversations (the chat view owns them). */
export interface HistoryActions {
  readonly state: () => conv.ConversationsState;
  readonly open: (id: string) => Promise<void>;
  readonly remove: (id: string) => Promise<void>;
  readonly undo: (deleted: conv.Conversation) => Promise<void>;
}

type Item = vscode.QuickPickItem & { readonly id: string };

const REMOVE: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete this conversation' };

function items(state: conv.ConversationsState): Item[] {
  return conv.listed(state).map((c) => ({
    id: c.id,
    label: `${c.id === state.currentId ? '$(comment-discussion) ' : ''}${c.title}`,
    description: `${c.turns.length} ${c.turns.length === 1 ? 'turn' : 'turns'} · ${new Date(c.updatedAt).toLocaleString()}`,
    // Searchable by every question of the conversation, not its title alone.
    detail: c.turns.slice(1).map((t) => t.question.replace(/\s+/g, ' ')).join(' · ').slice(0, 300),
    buttons: [REMOVE],
  }));
}

/**
 * Sourceline: Show Chat History — this workspace's conversations, newest first, filtered by any of
 * their questions; Enter opens one, the trash button deletes one (Undo puts it back).
 */
export async function pickConversation(actions: HistoryActions): Promise<void> {
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = 'Sourceline: Chat History';
  pick.items = items(actions.state());
  pick.placeholder = pick.items.length === 0 ? 'No earlier conversations in this workspace yet' : 'Search conversations by their questions; Enter opens one';
  pick.matchOnDetail = true;
  const done = new Promise<void>((resolve) => {
    pick.onDidTriggerItemButton(async (e) => {
      const deleted = actions.state().conversations.find((c) => c.id === e.item.id);
      if (deleted === undefined) return;
      await actions.remove(deleted.id);
      pick.items = items(actions.state());
      void vscode.window.showInformationMessage(`Sourceline: deleted “${deleted.title}”.`, 'Undo').then(async (choice) => {
        if (choice === 'Undo') await actions.undo(deleted);
      });
    });
    pick.onDidAccept(async () => {
      const chosen = pick.selectedItems[0];
      pick.hide();
      if (chosen !== undefined && chosen.id !== actions.state().currentId) await actions.open(chosen.id);
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve();
    });
  });
  pick.show();
  await done;
}
