// Friends and groups: what their pushes change, and the user's actions on them. Each action
// changes the store only once the server said yes.

import { $ } from './view.js';

export function friendEvent(store, f) {
  if (f.name) store.names.set(f.user, f.name);
  if (f.event === 'request') store.incoming.set(f.user, { id: f.user, name: f.name });
  if (f.event === 'accepted') {
    store.outgoing.delete(f.user);
    store.incoming.delete(f.user);
    // they just acted, so they are online
    store.friends.set(f.user, { id: f.user, name: f.name, online: true });
  }
  if (f.event === 'declined') store.outgoing.delete(f.user);
  if (f.event === 'removed') store.friends.delete(f.user);
}

export function groupEvent(store, f) {
  const mine = f.user === store.me.id;
  if (f.event === 'dissolved' || (mine && (f.event === 'kicked' || f.event === 'left'))) {
    store.groups.delete(f.group);
  } else if (mine && f.event === 'role' && store.groups.has(f.group)) {
    store.groups.get(f.group).role = f.role;
  }
}

function sideError(e) {
  $('side-error').textContent = e ? e.error || String(e) : '';
  if (e) $('side-note').textContent = '';
}

function idOf(input) {
  const n = Number(input.value.trim().replace(/^#/, ''));
  if (!Number.isInteger(n) || n <= 0) throw { error: 'an id is a number, like 42' };
  return n;
}

/** The actions of the side bar; the online state of a new friend is not known until a presence push. */
export function actions({ conn, store, openConv, render }) {
  async function act(fn) {
    sideError(null);
    try {
      await fn();
    } catch (e) {
      sideError(e.code === 'offline' ? { error: 'not connected: try again when back online' } : e);
    }
    render();
  }

  return {
    accept: (id) => act(async () => {
      await conn.request('friend.accept', { user: id });
      const r = store.incoming.get(id);
      store.incoming.delete(id);
      store.friends.set(id, { id, name: r ? r.name : store.nameOf(id), online: undefined });
    }),
    decline: (id) => act(async () => {
      await conn.request('friend.decline', { user: id });
      store.incoming.delete(id);
    }),
    addFriend: () => act(async () => {
      const input = $('add-friend-id');
      const id = idOf(input);
      const r = await conn.request('friend.request', { user: id });
      input.value = '';
      if (r.outcome === 'requested') {
        store.outgoing.set(id, { id, name: store.names.get(id) });
      } else {
        store.incoming.delete(id);
        store.friends.set(id, { id, name: store.nameOf(id), online: undefined });
      }
    }),
    joinGroup: () => act(async () => {
      const input = $('join-group-id');
      const id = idOf(input);
      await conn.request('group.join', { group: id });
      const info = await conn.request('group.info', { group: id });
      input.value = '';
      store.groups.set(id, { id, name: info.name, desc: info.desc, role: 'member', members: info.members.length });
      await openConv('g:' + id);
    }),
    createGroup: () => act(async () => {
      const input = $('create-group-name');
      const name = input.value.trim();
      if (!name) return;
      const r = await conn.request('group.create', { name, desc: '' });
      input.value = '';
      store.groups.set(r.group, { id: r.group, name, desc: '', role: 'owner', members: 1 });
      await openConv('g:' + r.group);
    }),
  };
}
