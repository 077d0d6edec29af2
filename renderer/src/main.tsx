// Renderer entry: mounts the app. Event text is rendered by React as text only, never as HTML.
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './styles.css';

createRoot(document.getElementById('root')!).render(<App />);
